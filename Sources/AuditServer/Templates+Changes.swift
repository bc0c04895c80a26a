extension Templates {
    static let queue = """
    <h1>My queue</h1>
    <p>Changes waiting for your signature, oldest first. Each must be signed before its deadline.</p>
    {{#hasItems}}
    <table>
    <caption>{{count}} change(s) waiting</caption>
    <thead><tr><th scope="col">Change</th><th scope="col">Model</th><th scope="col">Type</th><th scope="col">Author</th><th scope="col">Proposed</th><th scope="col">Deadline</th><th scope="col">Still needed</th></tr></thead>
    <tbody>
    {{#items}}<tr><td><a href="/changes/{{id}}">{{id}}</a></td><td>{{model}} {{modelVersion}}</td><td>{{changeType}}</td><td>{{author}}</td><td>{{proposedAt}}</td><td>{{deadline}}</td><td>{{needed}}</td></tr>
    {{/items}}
    </tbody>
    </table>
    {{/hasItems}}
    {{^items}}<p class="notice" role="status">Nothing is waiting for your signature.</p>{{/items}}
    """

    static let changes = """
    <h1>Changes</h1>
    <form method="get" action="/changes" class="filters">
    <label for="status">Status</label>
    <select id="status" name="status"><option value="">any</option>{{#statuses}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/statuses}}</select>
    <label for="model">Model</label><input id="model" name="model" value="{{model}}">
    <label for="zone">Target zone</label><input id="zone" name="zone" value="{{zone}}">
    <label for="author">Author</label><input id="author" name="author" value="{{author}}">
    <button type="submit">Filter</button>
    </form>
    <table>
    <caption>{{count}} change(s), newest first</caption>
    <thead><tr><th scope="col">Change</th><th scope="col">Status</th><th scope="col">Model</th><th scope="col">Type</th><th scope="col">Zone</th><th scope="col">Author</th><th scope="col">Proposed</th></tr></thead>
    <tbody>
    {{#items}}<tr><td><a href="/changes/{{id}}">{{id}}</a></td><td><span class="status {{status}}">{{status}}</span></td><td>{{model}} {{modelVersion}}</td><td>{{changeType}}</td><td>{{zone}}</td><td>{{author}}</td><td>{{proposedAt}}</td></tr>
    {{/items}}
    </tbody>
    </table>
    """

    static let change = """
    <h1>Change {{id}} <span class="status {{status}}">{{status}}</span></h1>
    {{#canSign}}<p><a class="button" href="/changes/{{id}}/sign">Sign or reject this change</a></p>{{/canSign}}
    <section aria-labelledby="what">
    <h2 id="what">What is proposed</h2>
    <dl>
    <dt>Reason</dt><dd>{{reason}}</dd>
    <dt>Model</dt><dd>{{model}}</dd>
    <dt>Version</dt><dd>{{modelVersion}}</dd>
    <dt>Type</dt><dd>{{changeType}}</dd>
    <dt>Target zone</dt><dd>{{zone}}</dd>
    <dt>Bundle digest</dt><dd><code>{{artifactDigest}}</code></dd>
    <dt>Author</dt><dd>{{author}}</dd>
    <dt>Proposed</dt><dd>{{proposedAt}} (version {{version}} of this change, record digest <code>{{digest}}</code>)</dd>
    <dt>Status</dt><dd>{{statusText}}</dd>
    </dl>
    </section>
    <section aria-labelledby="diff">
    <h2 id="diff">What changed since the previous approved version</h2>
    {{#previous}}<p>Previous approved change of {{model}}: <a href="/changes/{{previous.id}}">{{previous.id}}</a> (version {{previous.modelVersion}}).</p>
    {{#hasDifferences}}<table><thead><tr><th scope="col">Field</th><th scope="col">Previous</th><th scope="col">Proposed</th></tr></thead><tbody>
    {{#differences}}<tr><td>{{field}}</td><td><code>{{previous}}</code></td><td><code>{{proposed}}</code></td></tr>{{/differences}}
    </tbody></table>{{/hasDifferences}}
    {{^differences}}<p>No field differs.</p>{{/differences}}
    {{/previous}}
    {{^previous}}<p>No earlier approved change of this model.</p>{{/previous}}
    </section>
    <section aria-labelledby="policy">
    <h2 id="policy">Approval policy requirements</h2>
    {{#deadline}}<p>Signatures count until {{deadline}}.</p>{{/deadline}}
    <table><thead><tr><th scope="col">Role</th><th scope="col">Signatures needed</th><th scope="col">Meanings accepted</th><th scope="col">Counted</th><th scope="col">Met</th></tr></thead><tbody>
    {{#requirements}}<tr><td>{{role}}</td><td>{{count}}</td><td>{{meanings}}</td><td>{{signers}}</td><td>{{#met}}<span class="ok">met</span>{{/met}}{{^met}}<span class="missing">not yet</span>{{/met}}</td></tr>{{/requirements}}
    </tbody></table>
    </section>
    <section aria-labelledby="sigs">
    <h2 id="sigs">Signatures</h2>
    {{#hasSignatures}}<table><thead><tr><th scope="col">Printed name</th><th scope="col">Date and time (UTC)</th><th scope="col">Meaning</th><th scope="col">Comment</th><th scope="col">Counts</th></tr></thead><tbody>
    {{#signatures}}<tr><td>{{printedName}} ({{signerId}})</td><td>{{time}}</td><td><strong>{{meaning}}</strong></td><td>{{comment}}</td><td>{{note}}</td></tr>{{/signatures}}
    </tbody></table>{{/hasSignatures}}
    {{^signatures}}<p>No signatures yet.</p>{{/signatures}}
    </section>
    <section aria-labelledby="trail">
    <h2 id="trail">Audit trail of this change</h2>
    <table><thead><tr><th scope="col">Seq</th><th scope="col">Time (UTC)</th><th scope="col">Kind</th><th scope="col">Actor</th></tr></thead><tbody>
    {{#trail}}<tr><td><a href="/entries/{{seq}}">{{seq}}</a></td><td>{{time}}</td><td>{{kind}}</td><td>{{actor}}</td></tr>{{/trail}}
    </tbody></table>
    </section>
    """

    static let sign = """
    <h1>Sign change {{id}}</h1>
    <p>{{model}} {{modelVersion}} ({{changeType}}) — {{reason}}</p>
    <p>Next you will see what your signature means and confirm it with your password.</p>
    <form method="post" action="/changes/{{id}}/sign/confirm" class="narrow">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <fieldset>
    <legend>Meaning of your signature</legend>
    {{#meanings}}<div><input type="radio" id="m-{{name}}" name="meaning" value="{{name}}" required{{#first}} checked{{/first}}> <label for="m-{{name}}"><strong>{{name}}</strong> — {{text}}</label></div>
    {{/meanings}}
    </fieldset>
    <label for="comment">Comment (signed with the rest; required to reject)</label>
    <textarea id="comment" name="comment" rows="3" maxlength="2000"></textarea>
    <button type="submit">Continue</button>
    </form>
    """

    static let signConfirm = """
    <h1>Confirm your signature</h1>
    <div class="confirm" role="region" aria-label="What you are signing">
    <p>You, <strong>{{printedName}}</strong> ({{userId}}), are about to sign change <strong>{{id}}</strong>
    ({{model}} {{modelVersion}}, record digest <code>{{digest}}</code>) with the meaning <strong>{{meaning}}</strong>:</p>
    <p class="meaning">{{meaningText}}</p>
    {{#comment}}<p>Comment: {{comment}}</p>{{/comment}}
    <p>Your printed name, the date and time (UTC) and this meaning are recorded with the signature in the ledger. It cannot be withdrawn.</p>
    </div>
    <form method="post" action="/changes/{{id}}/sign" class="narrow">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <input type="hidden" name="meaning" value="{{meaning}}">
    <input type="hidden" name="comment" value="{{comment}}">
    <label for="password">Your password (required for every signature)</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
    <button type="submit">Sign as {{meaning}}</button>
    <a href="/changes/{{id}}">Cancel</a>
    </form>
    """

    static let signed = """
    <h1>Signed</h1>
    <p class="notice ok" role="status">Your signature on {{id}} with meaning <strong>{{meaning}}</strong> was recorded at seq {{seq}} ({{time}}).</p>
    {{#decision}}<p>With it the change was <strong>{{decision}}</strong> (seq {{decisionSeq}}).</p>{{/decision}}
    <p>Status now: {{statusText}}</p>
    <p><a href="/changes/{{id}}">Back to the change</a> · <a href="/queue">My queue</a></p>
    """
}
