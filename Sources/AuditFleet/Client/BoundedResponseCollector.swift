import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads one HTTP answer with a bound on its body: a `Content-Length` over the bound stops
/// the task before any byte is read, and a body that grows past it is cut off there, so a
/// broken or hostile central cannot make a plant buffer without limit. Redirects are not
/// followed: a push goes to the configured central or nowhere.
final class BoundedResponseCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Answer: Sendable {
        let status: Int
        let contentType: String?
        let body: [UInt8]
    }

    private let limit: Int
    private let lock = NSLock()
    private var response: HTTPURLResponse?
    private var body: [UInt8] = []
    private var overflowed = false
    private var continuation: CheckedContinuation<Result<Answer, any Error>, Never>?
    private var finished: Result<Answer, any Error>?

    init(limit: Int) { self.limit = limit }

    /// Waits for the task this collector is the delegate of to finish.
    func answer() async -> Result<Answer, any Error> {
        await withCheckedContinuation { c in
            let done: Result<Answer, any Error>? = lock.withLock {
                if let finished { return finished }
                continuation = c
                return nil
            }
            if let done { c.resume(returning: done) }
        }
    }

    /// Whether the task was stopped because the body passed the bound.
    var didOverflow: Bool { lock.withLock { overflowed } }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let tooLarge = response.expectedContentLength > Int64(limit)
        lock.withLock {
            self.response = response as? HTTPURLResponse
            if tooLarge { overflowed = true }
        }
        completionHandler(tooLarge ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let stop = lock.withLock { () -> Bool in
            guard !overflowed else { return true }
            guard body.count + data.count <= limit else {
                overflowed = true
                return true
            }
            body.append(contentsOf: data)
            return false
        }
        if stop { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask,
                    willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
                    completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (waiting, result) = lock.withLock { () -> (CheckedContinuation<Result<Answer, any Error>, Never>?, Result<Answer, any Error>) in
            let result: Result<Answer, any Error>
            if let error {
                result = .failure(error)
            } else if let response {
                result = .success(Answer(status: response.statusCode,
                                         contentType: response.value(forHTTPHeaderField: "Content-Type"), body: body))
            } else {
                result = .failure(URLError(.badServerResponse))
            }
            finished = result
            defer { continuation = nil }
            return (continuation, result)
        }
        waiting?.resume(returning: result)
    }
}

extension BoundedResponseCollector {
    /// One request on a session of its own (no cookies, no cache), its answer bounded to
    /// `limit` bytes; cancelling the calling task cancels the request. Shared by the push and
    /// the query clients. `overflowed` is checked first by callers: a task stopped for its
    /// size may end as an error or as a cut-off body.
    static func exchange(_ request: URLRequest, configuration: URLSessionConfiguration,
                         limit: Int) async -> (result: Result<Answer, any Error>, overflowed: Bool) {
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let collector = BoundedResponseCollector(limit: limit)
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        let result = await withTaskCancellationHandler {
            task.resume()
            return await collector.answer()
        } onCancel: {
            task.cancel()
        }
        return (result, collector.didOverflow)
    }
}
