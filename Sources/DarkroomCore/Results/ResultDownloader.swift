import Foundation

/// A result saved on disk.
public struct SavedResult: Sendable, Equatable {
    public let path: String
    public let bytes: Int
    /// The format found in the file's content, which sets its extension.
    public let format: OutputFormat
    public let width: Int?
    public let height: Int?
    public let sha256: String

    public init(path: String, bytes: Int, format: OutputFormat, width: Int?, height: Int?, sha256: String) {
        self.path = path
        self.bytes = bytes
        self.format = format
        self.width = width
        self.height = height
        self.sha256 = sha256
    }
}

/// Why a result could not be saved. Each keeps enough to tell the user what happened.
public enum DownloadError: Error, Sendable, Equatable, CustomStringConvertible {
    case notHTTP(String)
    case tooLarge(limit: Int)
    case notAnImage(preview: String)
    /// 403, 404 or 410: the link has expired or was withdrawn.
    case expired(status: Int)
    case httpStatus(Int)
    case transport(String)
    case io(String)

    public var isExpired: Bool { if case .expired = self { return true }; return false }
    /// The link itself is refused (not http(s)): fetching it again cannot help.
    public var isRefusedLink: Bool { if case .notHTTP = self { return true }; return false }

    /// What went wrong, without "the download failed:" in front (for sentences that say so already).
    public var reason: String {
        if case let .transport(m) = self { return m }
        return description
    }

    public var description: String {
        switch self {
        case let .notHTTP(u): return "the link is not an http(s) URL, so it was not fetched: \(u)"
        case let .tooLarge(limit): return "larger than the \(limit / 1_048_576) MiB limit; not saved"
        case let .notAnImage(p): return "not a PNG, JPEG or WebP image (it began \"\(p)\")"
        case let .expired(s): return "the link has expired (\(s)); the URL is kept"
        case let .httpStatus(s): return "the server answered \(s)"
        case let .transport(m): return "the download failed: \(m)"
        case let .io(m): return "the file could not be written: \(m)"
        }
    }
}

/// Saves result images under `<results>/<local id>-<task id>/<index>.<ext>`, atomically
/// (temp file, fsync, rename), with a JSON sidecar holding the provenance.
///
/// Only http(s) URLs; at most `maxBytes` (default 100 MiB); the content must be
/// PNG, JPEG or WebP by its magic bytes, and the extension follows the content,
/// not the URL. Transient failures (connection, 5xx) are retried `attempts`
/// times (default 3); 403/404/410 count as expired at once.
public struct ResultDownloader: Sendable {
    public let resultsDirectory: URL
    /// Downloads go through the same transport (and connections) as API calls.
    public let transport: any HTTPTransport
    public var maxBytes = 100 * 1024 * 1024
    public var attempts = 3
    public var timeout: Duration = .seconds(300)
    private let sleep: @Sendable (Duration) async throws -> Void
    private let deadlineSleep: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - sleep: waits between attempts.
    ///   - deadlineSleep: waits out `timeout` (plus 5 s), after which a download is
    ///     abandoned even if the fetcher never returns.
    public init(resultsDirectory: URL, transport: any HTTPTransport = CurlTransport(),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                deadlineSleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.resultsDirectory = resultsDirectory
        self.transport = transport
        self.sleep = sleep
        self.deadlineSleep = deadlineSleep
    }

    /// The folder of a task's results: `<local id>-<task id>`, e.g. `42-task_000001`.
    /// darkroom's local id is unique in its history, so two servers that hand out
    /// the same task id never share a folder, and the name still says which task
    /// it is (`#42` in every list). A task id that is not plain (letters, digits,
    /// `-`, `_`, at most 128) is left out: `42`.
    public func folder(taskID: String?, localID: Int64) -> URL {
        if let id = taskID, !id.isEmpty, id.count <= 128, id.first != ".",
           id.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" }) {
            return resultsDirectory.appendingPathComponent("\(localID)-\(id)", isDirectory: true)
        }
        return resultsDirectory.appendingPathComponent("\(localID)", isDirectory: true)
    }

    public func download(url: String, taskID: String?, localID: Int64, index: Int, provenance: JSONValue) async -> Result<SavedResult, DownloadError> {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), let remote = URL(string: url) else {
            return .failure(.notHTTP(TerminalSanitizer.clean(url)))
        }
        let dir = folder(taskID: taskID, localID: localID)
        let maxBytes = self.maxBytes
        let prepared: Result<Prepared, DownloadError> = await Self.onFileThread {
            let isNew: Bool
            do { isNew = try AtomicFile.makeFolder(dir) } catch {
                return .failure(.io("cannot create \(dir.path): \(error)"))
            }
            // This result is claimed by this process: part files of it are left by killed downloads.
            if !isNew { PartFiles.remove(in: dir, index: index) }
            let temp = AtomicFile.partFile(for: "\(index)", in: dir)
            do throws(FetchError) {
                return .success(Prepared(sink: try DownloadSink(path: temp.path, maxBytes: maxBytes), temp: temp, isNewFolder: isNew))
            } catch {
                return .failure(Self.map(error))
            }
        }
        let sink: DownloadSink, temp: URL, isNew: Bool
        switch prepared {
        case let .success(p): (sink, temp, isNew) = (p.sink, p.temp, p.isNewFolder)
        case let .failure(e): return .failure(e)
        }
        var renamed = false
        defer { if !renamed { unlink(temp.path) } }
        var attempt = 1
        while true {
            let outcome: DownloadError?
            do {
                if attempt > 1 { try sink.reset() }
                let transport = self.transport, timeout = self.timeout
                let status = try await Deadline.run(timeout + .seconds(5), sleep: deadlineSleep) {
                    try await transport.download(remote, timeout: timeout, into: sink)
                }
                switch status {
                case 200...299: outcome = nil
                case 403, 404, 410: return .failure(.expired(status: status))
                default: outcome = .httpStatus(status)
                }
            } catch let e as FetchError {
                switch e {
                case let .tooLarge(limit): return .failure(.tooLarge(limit: limit))
                case let .io(m): return .failure(.io(m))
                case let .transport(t): outcome = .transport(t.description)
                }
            } catch is Deadline.Exceeded {
                outcome = .transport(TransportError.timedOut.description)
            } catch {
                return .failure(.transport("the download was cancelled"))
            }
            guard let failure = outcome else { break }
            let retryable: Bool = { if case let .httpStatus(s) = failure { return s >= 500 || s == 429 }; return true }()
            guard retryable, attempt < attempts else { return .failure(failure) }
            do { try await sleep(.seconds(1 << (attempt - 1))) } catch { return .failure(failure) }
            attempt += 1
        }
        let saved = await Self.onFileThread {
            finish(sink, temp: temp, dir: dir, isNewFolder: isNew, index: index, url: url, provenance: provenance)
        }
        if case .success = saved { renamed = true }
        return saved
    }

    /// A download's part file, open, in its task's folder.
    private struct Prepared: Sendable {
        let sink: DownloadSink
        let temp: URL
        let isNewFolder: Bool
    }

    /// The queue file work (folders, syncs, renames) runs on, off Swift's
    /// cooperative pool: an fsync, slow on a busy or spinning disk, would hold up
    /// one of its few threads (two on a 2-core machine), and every task with it.
    static let fileQueue: DispatchQueue = {
        let queue = DispatchQueue(label: "darkroom.files", qos: .utility, attributes: .concurrent)
        queue.setSpecific(key: fileQueueKey, value: true)
        return queue
    }()
    /// Set on `fileQueue`, so tests can tell where work ran.
    static let fileQueueKey = DispatchSpecificKey<Bool>()

    /// Runs `body` on `fileQueue` and waits for it without holding a thread.
    static func onFileThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in fileQueue.async { continuation.resume(returning: body()) } }
    }

    static func map(_ e: FetchError) -> DownloadError {
        switch e {
        case let .tooLarge(limit): return .tooLarge(limit: limit)
        case let .io(m): return .io(m)
        case let .transport(t): return .transport(t.description)
        }
    }

    private func finish(_ sink: DownloadSink, temp: URL, dir: URL, isNewFolder: Bool, index: Int, url: String, provenance: JSONValue) -> Result<SavedResult, DownloadError> {
        guard let format = ImageSniffer.format(of: sink.head) else {
            return .failure(.notAnImage(preview: TerminalSanitizer.preview(of: Array(sink.head.prefix(64)), limit: 40)))
        }
        let size = ImageInfo.dimensions(of: sink.head)
        let final = dir.appendingPathComponent("\(index).\(format.fileExtension)", isDirectory: false)
        let saved = SavedResult(path: final.path, bytes: sink.count, format: format, width: size?.width, height: size?.height,
                                sha256: sink.digest())
        var sidecar = provenance
        if case var .object(members) = sidecar {
            members += [("index", .int(index)), ("source_url", .string(url)), ("format", .string(format.rawValue)),
                        ("bytes", .int(sink.count)), ("sha256", .string(saved.sha256)),
                        ("width", size.map { .int($0.width) } ?? .null), ("height", size.map { .int($0.height) } ?? .null),
                        ("saved_at", .string(TimeText.iso8601(Date())))]
            sidecar = .object(members)
        }
        // The picture's bytes, then its sidecar, are synced before each is renamed into
        // place; one sync of the folder then makes both renames (and the removal of a
        // stale copy) durable before the caller records the result.
        do {
            try sink.sync()
            try AtomicFile.rename(temp, over: final)
            try AtomicFile.write(Array(sidecar.serialized(pretty: true).utf8), to: dir.appendingPathComponent("\(index).json", isDirectory: false),
                                 syncingFolder: false)
            // A previous download of this result in another format is now stale.
            if !isNewFolder {
                for other in OutputFormat.allCases where other.fileExtension != format.fileExtension {
                    unlink(dir.appendingPathComponent("\(index).\(other.fileExtension)", isDirectory: false).path)
                }
            }
            AtomicFile.syncFolder(dir)
        } catch let e as AtomicFile.Failure {
            return .failure(.io(e.description))
        } catch let e as FetchError {
            return .failure(Self.map(e))
        } catch {
            return .failure(.io(FileErrorText.describe(error)))
        }
        return .success(saved)
    }
}
