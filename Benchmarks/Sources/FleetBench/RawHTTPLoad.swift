import AuditFleet
import AuditTesting
import Foundation

/// 50 plants pushing at once over real HTTP: one thread and one keep-alive connection per
/// plant, sending that plant's pre-built pushes in order. Raw sockets, so the client side
/// costs next to nothing and the figure is the central's. Every answer must be a 200.
enum RawHTTPLoad {
    struct Result {
        let seconds: Double
        let failures: [String]
    }

    static func run(port: Int, plants: [PlantDataSet.Plant]) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: runBlocking(port: port, plants: plants)) }
        }
    }

    private static func runBlocking(port: Int, plants: [PlantDataSet.Plant]) -> Result {
        let ready = DispatchGroup(), done = DispatchGroup()
        let go = DispatchSemaphore(value: 0)
        let failures = Failures()
        for plant in plants {
            ready.enter()
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                let connection: RawHTTPConnection
                do { connection = try RawHTTPConnection(port: port, timeout: 300) } catch {
                    failures.add("\(plant.origin): \(error)")
                    ready.leave()
                    return
                }
                ready.leave()
                go.wait()
                for (i, body) in plant.pushes.enumerated() {
                    do {
                        let answer = try connection.post(path: FleetClient.pushPath, body: body)
                        guard answer.status == 200 else {
                            failures.add("\(plant.origin) push \(i): HTTP \(answer.status) \(answer.text.prefix(200))")
                            return
                        }
                    } catch {
                        failures.add("\(plant.origin) push \(i): \(error)")
                        return
                    }
                }
            }
        }
        ready.wait()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in plants { go.signal() }
        done.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(seconds: seconds, failures: failures.all)
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.withLock { list.append(s) } }
    var all: [String] { lock.withLock { list } }
}
