/// Page templates, compiled in. Plain HTML forms (no JavaScript anywhere), labels on every
/// field, one stylesheet.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "error": error, "login": login, "password": password, "queue": queue, "changes": changes,
        "change": change, "sign": sign, "signConfirm": signConfirm, "signed": signed, "entries": entries, "entry": entry,
        "users": users, "account": account,
    ]

    static let layout = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} — auditctl</title>
    <link rel="stylesheet" href="/static/style.css">
    </head>
    <body>
    <a class="skip" href="#main">Skip to content</a>
    <header>
    <span class="brand">auditctl</span>
    {{#me}}
    <nav aria-label="Main">
    <ul>
    {{#navQueue}}<li><a href="/queue">My queue</a></li>{{/navQueue}}
    {{#navRead}}<li><a href="/changes">Changes</a></li><li><a href="/entries">Audit trail</a></li>{{/navRead}}
    {{#navUsers}}<li><a href="/users">Users</a></li>{{/navUsers}}
    <li><a href="/account">{{printedName}} ({{id}})</a></li>
    </ul>
    </nav>
    <form class="logout" method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Log out</button></form>
    {{/me}}
    </header>
    <main id="main">
    {{{body}}}
    </main>
    <footer>Times are UTC. Every action here is recorded in the ledger.</footer>
    </body>
    </html>
    """

    static let error = """
    <h1>{{status}} {{reason}}</h1>
    <p class="notice error" role="alert">{{message}}</p>
    {{#hint}}<p>{{hint}}</p>{{/hint}}
    {{#passwordChange}}<p><a href="/password">Change your password</a></p>{{/passwordChange}}
    {{#signedOut}}<p><a href="/login">Log in</a></p>{{/signedOut}}
    <p><a href="/">Back to the start page</a></p>
    <p class="small">Request id: <code>{{requestId}}</code></p>
    """

    static let login = """
    <h1>Log in</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{#problem}}<p class="notice error" role="alert">{{problem}}</p>{{/problem}}
    <form method="post" action="/login" class="narrow">
    <input type="hidden" name="login_csrf" value="{{loginCSRF}}">
    <input type="hidden" name="next" value="{{next}}">
    <label for="userId">User ID</label>
    <input id="userId" name="userId" autocomplete="username" required autofocus value="{{userId}}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Log in</button>
    </form>
    <p class="small">Failed attempts are recorded in the ledger; repeated failures lock the account.</p>
    """

    static let password = """
    <h1>Choose your password</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    <p>Changing the password also gives you a new signing key, sealed under the new password.
    A first key waits for an admin's confirmation before you can sign.</p>
    <form method="post" action="/password" class="narrow">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label for="password">Current password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <label for="newPassword">New password (at least {{minLength}} characters)</label>
    <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required minlength="{{minLength}}">
    <button type="submit">Change password</button>
    </form>
    """

    static let account = """
    <h1>{{user.printedName}} ({{user.id}})</h1>
    <dl>
    <dt>Roles in force</dt><dd>{{#user.roles}}{{.}} {{/user.roles}}{{^user.roles}}none{{/user.roles}}</dd>
    <dt>Roles waiting for confirmation</dt><dd>{{#user.pendingRoles}}{{.}} {{/user.pendingRoles}}{{^user.pendingRoles}}none{{/user.pendingRoles}}</dd>
    <dt>Status</dt><dd>{{user.status}}</dd>
    <dt>Password set</dt><dd>{{user.passwordSetAt}}</dd>
    <dt>Session ends when idle for</dt><dd>{{idleMinutes}} minutes (at the latest {{expiresAt}})</dd>
    </dl>
    <p><a href="/password">Change password and signing key</a></p>
    """
}
