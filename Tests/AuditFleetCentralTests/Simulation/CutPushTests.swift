import AuditCore
import AuditCrypto
import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// Pushes cut at a random byte: raw TCP, the request's head and part of its body, then
    /// the connection closed. Nothing may be stored, and the full push afterwards must be
    /// accepted from the same `old` (a 200, not a 409 saying a cut push got further).
    @Suite struct CutPushes {
        @Test(.timeLimit(.minutes(4)))
        func aPushCutAtAnyByteStoresNothingAndTheFullPushWorks() async throws {
            let clock = ContinuousClock(), started = clock.now
            var rng = SeededRandom.fromEnvironment()
            let central = try CentralFixture(cluster: .shared())
            let plants = try await SimulatedPlant.make(1)
            let plant = plants[0]
            try await plant.append(600, maxBatch: 8, using: &rng)
            try await central.enroll([(plant.origin, plant.key)])
            try central.server.start()
            defer { central.server.stop() }

            var cutPoints: [Int] = []
            var old = 0
            for _ in 0..<2 {
                // The plant's real next push from `old` (a first push, then one with a consistency proof).
                let push = try #require(try FleetPushBuilder.next(from: plant.store, origin: plant.origin, centralSize: old, maxEntries: 300))
                let body = Array(try JSONEncoder().encode(push))
                let head = RawHTTPConnection.postHead(path: FleetClient.pushPath, contentLength: body.count)
                let request = head + body
                // Always inside the head, right after it, and one byte short; the rest anywhere.
                let edges = [Int.random(in: 1..<head.count, using: &rng), head.count, request.count - 1]
                let cuts = edges + (0..<max(0, SimulationScale.cutPushes - edges.count)).map { _ in Int.random(in: 0..<request.count, using: &rng) }
                for cut in cuts {
                    cutPoints.append(cut)
                    let connection = try RawHTTPConnection(port: central.server.port)
                    try connection.write(Array(request[..<cut]))
                    connection.close()
                }
                // The service is up and nothing of the cut pushes is stored or alarmed.
                #expect(try central.get("/healthz").status == 200)
                #expect(try central.count("SELECT size FROM plants") == old)
                #expect(try central.count("SELECT count(*) FROM plant_entries") == old)
                #expect(try central.count("SELECT count(*) FROM alarms") + (try central.count("SELECT count(*) FROM evidence")) == 0)
                #expect(try central.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'") == 0)

                // The whole request on a fresh connection: stored from the same `old`, cosigned.
                let answer = try RawHTTPConnection(port: central.server.port).post(path: FleetClient.pushPath, body: body)
                #expect(answer.status == 200, "\(answer.status) \(answer.text)")
                let text = try Cosignature.split(note: push.checkpoint).text
                #expect(try Cosignature.verify(checkpointText: text, signatureLines: answer.text, witnesses: [central.witnessKey]).count == 1)
                old = push.old + push.entries.count
                #expect(try central.count("SELECT size FROM plants") == old)
            }

            // The plant's own push loop takes over from where the raw pushes left the central:
            // it remembers no cosignature, so the central's 409 tells it the size.
            let summary = try await plant.pusher(to: central, batch: 100).pushUntilCurrent()
            #expect(summary.rememberedSize == 0 && summary.conflicts == 1, "\(summary)")
            #expect(summary.centralSize == (try plant.store.size()))
            // A request sent whole whose answer is never read: whether the service finished
            // storing it or not, the plant's next push ends with each entry stored once and the
            // cosignature of its newest checkpoint kept (a 409, then a resubmission, if it did).
            try await plant.append(40, maxBatch: 8, using: &rng)
            let last = try #require(try FleetPushBuilder.next(from: plant.store, origin: plant.origin, centralSize: summary.centralSize))
            let lastBody = Array(try JSONEncoder().encode(last))
            let unread = try RawHTTPConnection(port: central.server.port)
            try unread.write(RawHTTPConnection.postHead(path: FleetClient.pushPath, contentLength: lastBody.count) + lastBody)
            unread.close()
            let finalSize = try plant.store.size()
            let resumed = try await plant.pusher(to: central, batch: 100).pushUntilCurrent()
            #expect(resumed.centralSize == finalSize, "\(resumed)")
            #expect(try plant.cosignedSize(by: central.witnessKey) == finalSize)

            try central.expectEveryAuditPasses(plants)
            print("cut pushes (seed \(rng.seed)): \(cutPoints.count) pushes cut at bytes \(cutPoints.sorted()); \(started.duration(to: clock.now))")
        }
    }
}
