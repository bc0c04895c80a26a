import AuditBundle
import AuditCore
import AuditCrypto
import AuditFleet
@testable import AuditFleetCentral
import AuditLedger
import AuditPolicy
import AuditRecords
import AuditTesting
import Foundation
import Logging
import Testing

/// Fleet queries over real plants (records made through `RecordsService`, pushed as
/// `fleet push` would) on a real PostgreSQL: what a QA head sees must be what each plant's
/// own replay says, including when a plant host forged an approval.
@Suite(.serialized) struct FleetQueryTests {
    /// Plant A: one change waiting for signatures. Plant B: the same model approved by
    /// three roles and loaded by an enrolled edge in zone line1-ai.
    struct Plants {
        let a: TestRecords
        let b: TestRecords
    }

    static func makePlants() async throws -> Plants {
        let a = try await TestRecords.make(origin: "plant-a.test/records")
        _ = try await a.propose(.promote, id: "chg-a1", version: "3.0")
        let b = try await TestRecords.make(origin: "plant-b.test/records")
        _ = try await b.propose(.promote, id: "chg-b1", version: "2.1")
        try await b.sign("chg-b1", "quinn", .approved)
        try await b.sign("chg-b1", "pat", .responsibility)
        try await b.sign("chg-b1", "otto", .approved)
        try await Self.deploy(b, change: "chg-b1", version: "2.1", zone: "line1-ai")
        _ = try await b.propose(.register, id: "chg-other", version: "1.0")
        return Plants(a: a, b: b)
    }

    /// An edge enrolled by ada, confirmed by bob, whose signed decision is uploaded.
    static func deploy(_ plant: TestRecords, change: String, version: String, zone: String) async throws {
        let state = EdgeStateStore(directory: plant.directory.file("edge"))
        try FileManager.default.createDirectory(atPath: state.directory, withIntermediateDirectories: true)
        let edge = try EdgeIdentity.create(id: "edge-01", password: "edge-key-password", store: state, parameters: .testing)
        try await plant.service.addEdge(id: "edge-01", printedName: "Line 1 IPC", publicKey: edge.publicKey, reason: "line 1 PC", by: plant.admin)
        try await plant.service.confirmIdentity(of: "edge-01", keyID: edge.publicKey.keyID.prefixed, evidence: "serial checked",
                                                by: plant.secondAdmin)
        let signer = try edge.signer(password: "edge-key-password", store: state)
        let decision = try signer.sign(["kind": .string(EntryKind.deploymentVerified), "time": .string(UTCTime.now()),
                                        "subject": .string(change),
                                        "payload": ["verdict": "may-load", "bundle": "/models/b.bundle", "zone": .string(zone),
                                                    "model": "vision-qc", "version": .string(version), "changeId": .string(change)]])
        _ = try await plant.service.recordDeployments([decision], source: "edge-01 decisions.jsonl")
    }

    static func withCentral(_ plants: [TestRecords], _ body: @Sendable (FleetCentral) async throws -> Void) async throws {
        let cluster = try PostgresCluster.shared()
        let url = try cluster.createDatabase(prefix: "query")
        let keys = try CentralKeys.generate(origin: "fleet.test/central", witnessName: "fleet.test/witness")
        try await FleetDatabase.run(url: DatabaseURL(url), logger: Logger(label: "fleet.query.test")) { db in
            let central = try await FleetCentral.initialize(database: db, keys: keys, by: "ada", logger: Logger(label: "fleet.query.test"))
            for plant in plants { try await enrollAndPush(plant, central) }
            try await body(central)
        }
    }

    static func enrollAndPush(_ plant: TestRecords, _ central: FleetCentral) async throws {
        let key = try plant.home.verifierKey()
        if try await central.plant(key.name) == nil {
            _ = try await central.enroll(origin: key.name, verifierKey: key, name: nil, by: "ada")
        }
        while true {
            let held = try #require(try await central.plant(key.name)).size
            guard let push = try FleetPushBuilder.next(from: plant.store, origin: key.name, centralSize: held, maxEntries: 7) else { return }
            let decision = try await central.ingest(body: Array(try JSONEncoder().encode(push)))
            guard case .cosigned = decision else { Issue.record("push refused: \(decision)"); return }
        }
    }

    @Test func waitingChangesDeploymentsAndAModelsEntriesAcrossPlants() async throws {
        let plants = try await Self.makePlants()
        try await Self.withCentral([plants.a, plants.b]) { central in
            let queries = FleetQueries(database: central.database)

            let waiting = try await queries.changes(ChangeFilter())
            #expect(waiting.map(\.changeID).sorted() == ["chg-a1", "chg-other"])
            let a1 = try #require(waiting.first { $0.changeID == "chg-a1" })
            #expect(a1.origin == "plant-a.test/records")
            #expect(a1.version == "3.0")
            #expect(!a1.shortfalls.isEmpty && a1.deadline != nil)
            // The plant's own replay agrees on what is short.
            let own = try plants.a.state().changes["chg-a1"]!.status(policy: plants.a.policy, now: Date())
            guard case .pending(let ownShort) = own else { Issue.record("plant says \(own)"); return }
            #expect(Set(a1.shortfalls.map(\.role)) == Set(ownShort.filter { $0.missing > 0 }.map(\.role)))

            let approved = try await queries.changes(ChangeFilter(status: "approved"))
            #expect(approved.map(\.changeID) == ["chg-b1"])

            let running = try await queries.deployments(DeploymentFilter(model: "vision-qc"))
            #expect(running.count == 1)
            #expect(running.first?.origin == "plant-b.test/records")
            #expect(running.first?.zone == "line1-ai" && running.first?.version == "2.1" && running.first?.verified == true)
            #expect(try await queries.deployments(DeploymentFilter(zone: "elsewhere")).isEmpty)

            // Every entry about vision-qc, paged two at a time: each exactly once, both plants.
            var seen: [String] = []
            var cursor: FleetEntryCursor?
            repeat {
                let page = try await queries.entries(model: "vision-qc", after: cursor, limit: 2)
                seen += page.entries.map { "\($0.origin)#\($0.seq)" }
                cursor = page.next
            } while cursor != nil
            #expect(Set(seen).count == seen.count)
            let expectedA = try plants.a.store.entries().filter { $0.subject == "chg-a1" }.count
            let expectedB = try plants.b.store.entries().filter { ["chg-b1", "chg-other"].contains($0.subject) }.count
            #expect(seen.count == expectedA + expectedB)
            #expect(seen.contains { $0.hasPrefix("plant-a.test/records#") } && seen.contains { $0.hasPrefix("plant-b.test/records#") })

            let health = try await queries.plants()
            #expect(health.map(\.origin) == ["plant-a.test/records", "plant-b.test/records"])
            #expect(health[0].size == (try plants.a.store.size()) && health[0].lastPushAt != nil && health[0].alarms == 0)
        }
    }

    /// The change rows are kept between queries (`PlantChangeRowsCache`); they must still
    /// follow the clock across a deadline (pending → expired, and back for an earlier
    /// instant) and follow a new push (a signature that approves the change).
    @Test func cachedChangeRowsFollowTheClockAndNewPushes() async throws {
        let plants = try await Self.makePlants()
        try await Self.withCentral([plants.a]) { central in
            let queries = FleetQueries(database: central.database)
            let now = Date()
            let pending = try #require(try await queries.changes(ChangeFilter(status: nil), now: now).first { $0.changeID == "chg-a1" })
            #expect(pending.status == "pending")
            let deadline = try #require(pending.deadline)
            // Cached at `now`; one second past the deadline it has expired, and before it, it has not.
            let later = try await queries.changes(ChangeFilter(status: nil), now: deadline.addingTimeInterval(1))
            #expect(later.first { $0.changeID == "chg-a1" }?.status == "expired")
            #expect(try await queries.changes(ChangeFilter(status: "expired"), now: deadline.addingTimeInterval(1)).map(\.changeID) == ["chg-a1"])
            let earlier = try await queries.changes(ChangeFilter(status: nil), now: deadline.addingTimeInterval(-1))
            #expect(earlier.first { $0.changeID == "chg-a1" }?.status == "pending")
            #expect(try await queries.changes(ChangeFilter(), now: now).map(\.changeID) == ["chg-a1"])

            // Signed to approval at the plant and pushed: the next query sees it at once.
            try await plants.a.sign("chg-a1", "quinn", .approved)
            try await plants.a.sign("chg-a1", "pat", .responsibility)
            try await plants.a.sign("chg-a1", "otto", .approved)
            try await Self.enrollAndPush(plants.a, central)
            #expect(try await queries.changes(ChangeFilter(), now: now).isEmpty)
            #expect(try await queries.changes(ChangeFilter(status: "approved"), now: now).map(\.changeID) == ["chg-a1"])
        }
    }

    /// A plant host holding the log key appends an approval nobody signed: the plant's own
    /// replay rejects it, and so does the central's — the change still waits.
    @Test func aForgedApprovalAtAPlantDoesNotApproveTheChangeInTheFleetView() async throws {
        let plant = try await TestRecords.make(origin: "plant-f.test/records")
        let change = try await plant.propose(.promote, id: "chg-f1", version: "9.9")
        _ = change
        let record = try #require(try plant.state().changes["chg-f1"])
        try await plant.forge(EntryKind.changeApproved, actor: "system", subject: "chg-f1",
                              payload: ForgedPayload.approval(of: record, policy: plant.policy.digest, signers: []),
                              signedBy: .key(try plant.logKey()))
        #expect(!(try plant.replayed().openProblems.isEmpty))
        try await Self.withCentral([plant]) { central in
            let queries = FleetQueries(database: central.database)
            let fleetView = try await queries.changes(ChangeFilter(status: nil))
            #expect(fleetView.map(\.changeID) == ["chg-f1"])
            #expect(fleetView.first?.status == "pending")
            let health = try await queries.health()
            #expect(health.first?.openProblems == 1)
        }
    }

    /// The cache follows the plant: entries pushed after a first query show in the next one.
    @Test func queriesSeeLaterPushes() async throws {
        let plant = try await TestRecords.make(origin: "plant-c.test/records")
        _ = try await plant.propose(.promote, id: "chg-c1", version: "1.0")
        try await Self.withCentral([plant]) { central in
            let queries = FleetQueries(database: central.database)
            #expect(try await queries.changes(ChangeFilter()).map(\.changeID) == ["chg-c1"])
            _ = try await plant.propose(.promote, id: "chg-c2", version: "1.1")
            try await Self.enrollAndPush(plant, central)
            #expect(try await queries.changes(ChangeFilter()).map(\.changeID) == ["chg-c1", "chg-c2"])
        }
    }

    @Test func cursorsRoundTripAndGarbageIsRefused() throws {
        let cursor = FleetEntryCursor(origin: "plant/with\nodd+chars", seq: 42)
        #expect(try FleetEntryCursor(token: cursor.token) == cursor)
        #expect(throws: FleetError.self) { try FleetEntryCursor(token: "not a cursor!") }
        #expect(throws: FleetError.self) { try FleetEntryCursor(token: FleetEntryCursor(origin: "x", seq: 1).token + "AAAA") }
    }
}
