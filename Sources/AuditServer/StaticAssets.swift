/// The one stylesheet. Colours meet WCAG AA contrast on white; focus is always visible.
enum StaticAssets {
    static let stylesheet = """
    :root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b4f8a; --ok: #14632b; --bad: #a31515; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
    header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .5rem 1.5rem; background: #0b2e4f; color: #fff; }
    header a, header .brand { color: #fff; }
    .brand { font-weight: 700; font-size: 1.1rem; }
    nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; }
    .logout { margin-left: auto; }
    main { max-width: 72rem; padding: 1rem 1.5rem 3rem; }
    footer { padding: 1rem 1.5rem; color: var(--muted); border-top: 1px solid var(--line); font-size: .9rem; }
    a { color: var(--accent); }
    a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #f0a500; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; }
    .skip:focus { left: 1rem; top: .5rem; background: #fff; color: var(--ink); padding: .25rem .5rem; z-index: 1; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
    caption { text-align: left; color: var(--muted); padding: .25rem 0; }
    th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
    th { background: #f2f4f7; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
    dt { font-weight: 600; }
    dd { margin: 0; overflow-wrap: anywhere; }
    code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9rem; overflow-wrap: anywhere; }
    pre { background: #f2f4f7; padding: .75rem; white-space: pre-wrap; }
    form.narrow { max-width: 32rem; display: flex; flex-direction: column; gap: .35rem; }
    form.filters { display: flex; flex-wrap: wrap; align-items: end; gap: .5rem; margin-bottom: 1rem; }
    label { font-weight: 600; }
    input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #767676; border-radius: 3px; }
    button, .button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 3px; padding: .45rem 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
    header button { background: #fff; color: #0b2e4f; }
    fieldset { border: 1px solid var(--line); }
    .notice { padding: .5rem .75rem; border-left: 4px solid var(--accent); background: #eef4fa; }
    .notice.error { border-color: var(--bad); background: #fbeeee; }
    .notice.ok { border-color: var(--ok); background: #edf7ef; }
    .status { font-weight: 600; padding: 0 .35rem; border-radius: 3px; border: 1px solid currentColor; }
    .status.approved, .ok { color: var(--ok); }
    .status.rejected, .status.expired, .missing { color: var(--bad); }
    .confirm { border: 2px solid var(--accent); padding: .5rem 1rem; margin-bottom: 1rem; }
    .meaning { font-size: 1.15rem; font-weight: 600; }
    .pager { display: flex; gap: 1rem; }
    .small { font-size: .9rem; color: var(--muted); }
    """
}
