/// Inline CSS of report.html: print first (A4, running header with site, origin and
/// period, page numbers, page breaks between sections, the entries table landscape), and
/// readable on screen. No fonts, images or scripts are fetched: the report is one file.
enum ReportStyle {
    static func css(header: String) -> String {
        """
        @page { size: A4; margin: 22mm 14mm 18mm 14mm;
          @top-left { content: "\(cssString(header))"; font: 8pt sans-serif; color: #444; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #444; }
          @bottom-left { content: "auditctl regulator export — verify with manifest.json / manifest.sig"; font: 8pt sans-serif; color: #444; } }
        @page wide { size: A4 landscape; }
        html { font: 10pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; }
        body { margin: 0 auto; max-width: 60em; padding: 0 1em; }
        h1 { font-size: 20pt; margin: 0 0 .3em; } h2 { font-size: 14pt; border-bottom: 1.5pt solid #222; margin-top: 0; padding-top: .2em; }
        h3 { font-size: 11.5pt; margin: 1.1em 0 .3em; }
        section.part { break-before: page; } section.cover { break-after: page; }
        section.entries { page: wide; max-width: none; }
        table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; }
        th, td { border: .5pt solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th { background: #e8e8e8; } thead { display: table-header-group; } tr { break-inside: avoid; }
        table.entries { font-size: 7.5pt; table-layout: fixed; } table.entries td.hash { font-family: "DejaVu Sans Mono", monospace; }
        table.entries th { overflow-wrap: normal; }
        table.entries th:nth-child(1) { width: 4%; } table.entries th:nth-child(2) { width: 12%; }
        table.entries th:nth-child(3) { width: 10%; } table.entries th:nth-child(4) { width: 6%; }
        table.entries th:nth-child(5) { width: 8%; } table.entries th:nth-child(6) { width: 28%; }
        table.entries th:nth-child(7), table.entries th:nth-child(8) { width: 12%; } table.entries th:nth-child(9) { width: 8%; }
        @media print { body { max-width: none; padding: 0; } }
        table.facts th { width: 9.5em; overflow-wrap: normal; } table.timeline td:first-child { white-space: nowrap; }
        table.timeline td:nth-child(2) { width: 8.5em; }
        dl.cover { display: grid; grid-template-columns: 13em 1fr; gap: .25em 1em; }
        dl.cover dt { font-weight: bold; } dl.cover dd { margin: 0; overflow-wrap: anywhere; }
        .mono, code { font-family: "DejaVu Sans Mono", monospace; font-size: 90%; overflow-wrap: anywhere; }
        section.change { border-top: .5pt solid #999; padding-top: .4em; } section.change h3 { break-after: avoid; }
        .status { font-weight: bold; padding: 0 .4em; border: 1pt solid #222; }
        .status-approved { background: #dff0d8; } .status-rejected { background: #f2dede; }
        .status-expired { background: #eee; } .status-pending { background: #fcf8e3; }
        div.signature { border: .75pt solid #555; padding: 3pt 6pt; margin: 3pt 0; break-inside: avoid; }
        div.signature .printed-name { font-weight: bold; } .verdict-ok { color: #1a5e1a; font-weight: bold; }
        .verdict-bad { color: #a00; font-weight: bold; } .note { color: #444; font-size: 90%; }
        .rejected { color: #a00; }
        @media screen { section.part { border-top: 3px double #222; margin-top: 2em; } }
        """
    }

    private static func cssString(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
