extension Templates {
    static let entries = """
    <h1>Audit trail</h1>
    <p>{{size}} entries. Nothing is ever updated or deleted; a correction is a new entry.</p>
    <form method="get" action="/entries" class="filters">
    <label for="kind">Kind</label><input id="kind" name="kind" value="{{kind}}" placeholder="signature.added">
    <label for="actor">Actor</label><input id="actor" name="actor" value="{{actor}}">
    <label for="subject">Subject</label><input id="subject" name="subject" value="{{subject}}">
    <label for="since">From (UTC)</label><input id="since" name="since" value="{{since}}" placeholder="2026-01-31T00:00:00Z">
    <label for="until">Until (UTC)</label><input id="until" name="until" value="{{until}}">
    <label for="from">From seq</label><input id="from" name="from" value="{{from}}" inputmode="numeric">
    <button type="submit">Show</button>
    </form>
    <table>
    <caption>Entries from seq {{from}}</caption>
    <thead><tr><th scope="col">Seq</th><th scope="col">Time (UTC)</th><th scope="col">Kind</th><th scope="col">Actor</th><th scope="col">Subject</th></tr></thead>
    <tbody>
    {{#items}}<tr><td><a href="/entries/{{seq}}">{{seq}}</a></td><td>{{time}}</td><td>{{kind}}</td><td>{{actor}}</td><td>{{subject}}</td></tr>
    {{/items}}
    </tbody>
    </table>
    <nav aria-label="Pages" class="pager">
    {{#first}}<a href="{{first}}">First page</a>{{/first}}
    {{#last}}<a href="{{last}}">Latest entries</a>{{/last}}
    {{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}
    </nav>
    """

    static let entry = """
    <h1>Entry {{seq}}</h1>
    {{#verified}}<p class="notice ok" role="status">Verified against checkpoint {{checkpointSize}}: the inclusion proof leads from this entry's hash to the root signed by the log key.</p>{{/verified}}
    {{^verified}}<p class="notice error" role="alert">Not verified: {{problem}}</p>{{/verified}}
    <dl>
    <dt>Time</dt><dd>{{time}}</dd>
    <dt>Kind</dt><dd>{{kind}}</dd>
    <dt>Actor</dt><dd>{{actor}}</dd>
    <dt>Subject</dt><dd>{{#subjectIsChange}}<a href="/changes/{{subject}}">{{subject}}</a>{{/subjectIsChange}}{{^subjectIsChange}}{{subject}}{{/subjectIsChange}}</dd>
    <dt>Entry hash (RFC 9162 leaf)</dt><dd><code>{{leafHash}}</code></dd>
    <dt>Previous entry hash</dt><dd><code>{{prev}}</code></dd>
    </dl>
    <h2>Payload</h2>
    <pre>{{payload}}</pre>
    {{#hasProof}}
    <h2>Inclusion proof (tree of {{checkpointSize}} entries)</h2>
    <p>Root: <code>{{root}}</code></p>
    <ol start="0">{{#path}}<li><code>{{.}}</code></li>{{/path}}</ol>
    <h2>Signed checkpoint</h2>
    <pre>{{note}}</pre>
    {{/hasProof}}
    <p><a href="/entries?from={{seq}}">Audit trail from here</a></p>
    """

    static let users = """
    <h1>Users</h1>
    <table>
    <thead><tr><th scope="col">User</th><th scope="col">Status</th><th scope="col">Roles in force</th><th scope="col">Waiting for confirmation</th><th scope="col">Failures</th></tr></thead>
    <tbody>
    {{#items}}<tr><td>{{printedName}} ({{id}})</td><td>{{status}}</td><td>{{roles}}</td><td>{{pending}}</td><td>{{failures}}</td></tr>
    {{/items}}
    </tbody>
    </table>
    {{#isAdmin}}
    <h2>Act on a user</h2>
    <p>Each action is an entry signed with your key: your password is needed every time.</p>
    <form method="post" action="/users/action" class="narrow">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label for="target">User ID</label><input id="target" name="id" required>
    <label for="action">Action</label>
    <select id="action" name="action"><option value="unlock">Unlock the account</option><option value="confirm">Confirm identity (pending roles and key)</option><option value="grant">Grant a role</option><option value="deactivate">Deactivate</option></select>
    <label for="role">Role (for grant)</label><input id="role" name="role">
    <label for="reason">Reason or evidence (recorded)</label><input id="reason" name="reason" required>
    <label for="adminPassword">Your password</label><input id="adminPassword" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Apply</button>
    </form>
    <h2>Enroll a person</h2>
    <form method="post" action="/users" class="narrow">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label for="newId">User ID</label><input id="newId" name="id" required>
    <label for="printedName">Printed name</label><input id="printedName" name="printedName" required>
    <label for="roles">Roles (comma-separated: {{knownRoles}})</label><input id="roles" name="roles" required>
    <label for="initialPassword">One-time password (the person must replace it)</label><input id="initialPassword" name="initialPassword" type="password" autocomplete="new-password" required>
    <label for="enrollReason">Reason (recorded)</label><input id="enrollReason" name="reason" required>
    <label for="enrollPassword">Your password</label><input id="enrollPassword" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Enroll</button>
    </form>
    {{/isAdmin}}
    """
}
