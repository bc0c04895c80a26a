import AuditBundle
import AuditCore
import AuditTesting
import Foundation
import Testing

/// Strict by default (issue 9, item 5): no "may load" without the edge's state and zone
/// unless the caller waives them by name, and then the verdict says what was not checked.
@Suite("Strict defaults")
struct StrictDefaultsTests {
    @Test func libraryFailsStateAndZoneChecksWhenNotGiven() throws {
        let f = try BundleFixture()
        let r = try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle, options: VerifyOptions())
        #expect(!r.mayLoad)
        for id in [CheckID.checkpointConsistency, .rollback, .zone] {
            #expect(r.check(id)?.status == .failed, "\(id)")
            #expect(r.check(id)?.detail.hasPrefix("not checked: no ") == true, "\(String(describing: r.check(id)))")
        }
        #expect(r.exitCode == CheckID.checkpointConsistency.exitCode)
        #expect(r.waivedChecks.isEmpty)
    }

    @Test func libraryWaiversSkipAndAreListed() throws {
        let f = try BundleFixture()
        var options = VerifyOptions(zone: "line-3")
        options.skipStateChecks = true
        let noState = try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle, options: options)
        #expect(noState.mayLoad, "\(noState.checks)")
        #expect(noState.waivedChecks == [.checkpointConsistency, .rollback])
        #expect(noState.check(.zone)?.status == .passed)

        var anyZone = VerifyOptions(state: EdgeState())
        anyZone.anyZone = true
        let r = try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle, options: anyZone)
        #expect(r.mayLoad)
        #expect(r.waivedChecks == [.zone])
        #expect(r.check(.rollback)?.status == .passed)
    }

    /// A waiver does not hide a failure the check found for another reason.
    @Test func waiverDoesNotMaskARealFailure() throws {
        let f = try BundleFixture(zones: ["line-3"])
        var options = VerifyOptions(zone: "line-9")
        options.skipStateChecks = true
        let r = try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle, options: options)
        #expect(r.check(.zone)?.status == .failed)
        #expect(!r.mayLoad)
    }

    static func trust(_ f: BundleFixture) throws -> String { try VerifyBundleCLITests.trustFile(f) }

    @Test(arguments: [
        (["--zone", "line-3"], "--no-state"),
        (["--state", "S"], "--any-zone"),
        ([String](), "--no-state"),
        (["--state", "S", "--no-state", "--zone", "line-3"], "exclude each other"),
        (["--state", "S", "--zone", "line-3", "--any-zone"], "exclude each other"),
    ])
    func cliRefusesMissingOrContradictoryFlagsBeforeHashing(flags: [String], mentions: String) throws {
        let f = try BundleFixture()
        let args = flags.map { $0 == "S" ? f.stateDir : $0 }
        let r = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", try Self.trust(f)] + args)
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains(mentions), "\(r)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: f.stateDir), "nothing recorded for a refused invocation")
    }

    @Test func cliWaiversSayWhatWasNotChecked() throws {
        let f = try BundleFixture()
        let r = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", try Self.trust(f), "--no-state", "--any-zone"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("skip  rollback"))
        #expect(r.stdout.hasSuffix("verdict: may load, but NOT checked (as asked): checkpoint consistency, rollback, zone admission\n"), "\(r)")
        let json = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", try Self.trust(f), "--no-state", "--any-zone", "--json"])
        let value = try JSONValue.parse(json.stdout)
        #expect(value["verdict"]?.stringValue == "may-load")
        #expect(value["notChecked"] == .array(["approval.consistency", "rollback", "zone"]))
    }
}
