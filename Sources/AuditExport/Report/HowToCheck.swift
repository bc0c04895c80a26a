/// The report's last section: what each file is, which hashes and proofs tie them to the
/// signed log, and the commands that check them (with and without auditctl).
enum HowToCheck {
    static let files: [(String, String)] = [
        (ExportLayout.report, "this report (human-readable copy)"),
        (ExportLayout.csv, "one row per entry: seq, UTC time, kind, actor, subject, summary, old and new value, entry hash (RFC 4180, UTF-8 with byte order mark; cells that start with = + - @ carry a leading apostrophe)"),
        (ExportLayout.entries, "the exact bytes of every entry of the period (RFC 8785 canonical JSON), one per line, in seq order"),
        (ExportLayout.context, "record entries before the period that the period's people, keys, policy and changes rest on (same format)"),
        (ExportLayout.proofs, "line 1: the period's proof (hashes of the tree before the period, RFC 9162 consistency proofs); then one RFC 9162 inclusion proof per context entry"),
        (ExportLayout.checkpoint, "the signed checkpoint (C2SP signed note) the export rests on"),
        (ExportLayout.startCheckpoint, "the first signed checkpoint that covers the period's first entry"),
        (ExportLayout.keys, "the log verifier key, every person's public keys and roles, with the seqs of the entries that registered them"),
        (ExportLayout.policiesFolder, "the text of every approval policy version referenced (as recorded in policy.updated)"),
        (ExportLayout.manifest, "every file's SHA-256 and size, the period and the checkpoint (RFC 8785 JSON)"),
        (ExportLayout.manifestSignature, "C2SP signed note by the log key over the SHA-256 of manifest.json"),
    ]

    static func html(_ m: ExportManifest) -> String {
        var s = "<section class=\"part howto\" id=\"how-to-check\"><h2>5. How to check this export</h2>\n"
        s += "<p>Nothing in this report needs to be taken on trust. The ZIP holds the records themselves and the proofs that they are the ledger's, unaltered and complete for the period.</p>\n"
        s += "<table><thead><tr><th>file</th><th>what it is</th></tr></thead><tbody>\n"
        for (name, what) in files { s += "<tr><td class=\"mono\">\(HTML.text(name))</td><td>\(HTML.text(what))</td></tr>\n" }
        s += "</tbody></table>\n<h3>What is checked, in order</h3><ol>\n"
        s += "<li>manifest.sig is a valid Ed25519 signed note by the log key <span class=\"mono\">\(HTML.text(m.logVerifierKey))</span> (obtain this key from the site independently) over the SHA-256 of manifest.json.</li>\n"
        s += "<li>Every file's SHA-256 and size equal the manifest's; no file is missing or added.</li>\n"
        s += "<li>checkpoint.txt is signed by the same key and names tree size \(m.checkpointSize) and root <span class=\"mono\">\(m.checkpointRoot.prefixed)</span>.</li>\n"
        s += "<li>Every line of entries.jsonl is hashed as an RFC 9162 leaf, SHA-256(0x00 ‖ line); seqs run \(m.firstSeq) to \(m.lastSeq) without a gap; starting from the tree hashes before the period (proofs.jsonl) the leaves give the root of the first \(m.lastSeq + 1) entries, and an RFC 9162 consistency proof shows that tree is a prefix of the signed checkpoint. Together this proves every entry is in the log at its seq and that no entry of the period is missing.</li>\n"
        s += "<li>Every context entry has an RFC 9162 inclusion proof to the checkpoint root.</li>\n"
        s += "<li>Every e-signature verifies under the signer's registered key, and every approval or rejection is recomputed from the signatures and the approval policy version in force (the replay auditctl itself runs).</li>\n"
        s += "<li>This report and audit-trail.csv say the same as entries.jsonl: same entries, hashes, signers and times.</li>\n</ol>\n"
        s += "<h3>Commands</h3>\n<pre class=\"mono\">auditctl verify-export export.zip --log-key log.vkey\npython3 verify_export.py export.zip --log-key log.vkey   # standard library + PyNaCl; see the inspector guide</pre>\n"
        s += "<h3>What this export cannot prove</h3><ul>\n"
        s += "<li>Entries outside the period: only the period's entries are included; the proofs show the period is complete and unaltered, not what happened before or after it.</li>\n"
        s += "<li>That context.jsonl holds every record entry before the period: each one is proven to be in the log, but one left out cannot be seen. An export from seq 0 removes this limit.</li>\n"
        s += "<li>The time source: times are the ledger host's clock when each entry was appended; the ledger refuses times running backwards, but cannot prove the clock was right.</li>\n"
        s += "<li>Whether the log key itself is the site's: compare its fingerprint with one the site gave you through another channel.</li>\n</ul>\n</section>\n"
        return s
    }
}
