import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Streams a URL's body into a file. The seam result downloads go through.
public protocol FileFetcher: Sendable {
    /// Writes the body of a 2xx answer into `file` (created or truncated) and
    /// returns the status and the bytes written. A non-2xx body is not written.
    /// Throws `FetchError`.
    func fetch(_ url: URL, to file: URL, maxBytes: Int, timeout: Duration) async throws -> (status: Int, bytes: Int)
}

public enum FetchError: Error, Sendable, Equatable {
    /// The body is larger than the limit; the download was stopped there.
    case tooLarge(limit: Int)
    case transport(TransportError)
    case io(String)
}

/// `FileFetcher` over URLSession: the body goes to disk as it arrives and the
/// download is cancelled as soon as it passes the size limit.
public struct URLSessionFileFetcher: FileFetcher {
    public init() {}

    public func fetch(_ url: URL, to file: URL, maxBytes: Int, timeout: Duration) async throws -> (status: Int, bytes: Int) {
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o644]),
              let handle = FileHandle(forWritingAtPath: file.path)
        else { throw FetchError.io("cannot create \(file.path)") }
        defer { try? handle.close() }
        let delegate = StreamingDelegate(handle: handle, maxBytes: maxBytes)
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 60
        config.timeoutIntervalForResource = Double(timeout.components.seconds)
        let session = URLSession(configuration: config, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<(status: Int, bytes: Int), Error>) in
                delegate.start(session.dataTask(with: url), continuation: c)
            }
        } onCancel: {
            delegate.cancel()
        }
    }
}

/// Receives the body in pieces and writes them; one per download.
private final class StreamingDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // Every mutable field is guarded by `lock`.
    private let lock = NSLock()
    private let handle: FileHandle
    private let maxBytes: Int
    private var written = 0
    private var status = 0
    private var failure: FetchError?
    private var task: URLSessionDataTask?
    private var continuation: CheckedContinuation<(status: Int, bytes: Int), Error>?

    init(handle: FileHandle, maxBytes: Int) {
        self.handle = handle
        self.maxBytes = maxBytes
    }

    func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<(status: Int, bytes: Int), Error>) {
        lock.withLock {
            self.task = task
            self.continuation = continuation
        }
        task.resume()
    }

    func cancel() { lock.withLock { task }?.cancel() }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        let tooBig = response.expectedContentLength > Int64(maxBytes)
        lock.withLock {
            status = code
            if tooBig && (200...299).contains(code) { failure = .tooLarge(limit: maxBytes) }
        }
        completionHandler(tooBig && (200...299).contains(code) ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let stop: Bool = lock.withLock {
            guard (200...299).contains(status), failure == nil else { return false }
            if written + data.count > maxBytes {
                failure = .tooLarge(limit: maxBytes)
                return true
            }
            do { try handle.write(contentsOf: data) } catch {
                failure = .io(error.localizedDescription)
                return true
            }
            written += data.count
            return false
        }
        if stop { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let (c, result): (CheckedContinuation<(status: Int, bytes: Int), Error>?, Result<(status: Int, bytes: Int), Error>) = lock.withLock {
            let c = continuation
            continuation = nil
            if let failure { return (c, .failure(failure)) }
            if let e = error as? URLError { return (c, .failure(FetchError.transport(URLSessionTransport.map(e)))) }
            if let error { return (c, .failure(FetchError.transport(.other(error.localizedDescription)))) }
            return (c, .success((status, written)))
        }
        c?.resume(with: result)
    }
}
