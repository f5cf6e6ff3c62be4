import Foundation

/// How a download failed.
public enum FetchError: Error, Sendable, Equatable {
    /// The body is larger than the limit; the download was stopped there.
    case tooLarge(limit: Int)
    case transport(TransportError)
    case io(String)
}

/// Where a download's bytes go: appended to an open file, hashed (SHA-256) and
/// counted as they arrive, with the first bytes kept to recognise the format and
/// read the pixel size. Nothing is read back from disk afterwards.
///
/// Limits: at most `maxBytes` in all (passing it throws `FetchError.tooLarge`);
/// the kept head is at most 1 MiB. One download at a time; not thread-safe.
public final class DownloadSink: @unchecked Sendable {
    /// How many first bytes are kept for sniffing and `ImageInfo` (a JPEG's frame
    /// header may come after large EXIF or ICC blocks).
    public static let headLimit = 1 << 20
    public let maxBytes: Int
    public private(set) var count = 0
    public private(set) var head: [UInt8] = []
    private var hasher = SHA256()
    private let fd: Int32
    private let path: String

    /// Opens (creating or truncating) the file at `path`, mode 644.
    public init(path: String, maxBytes: Int) throws(FetchError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("cannot create \(path): \(String(cString: strerror(errno)))") }
        self.fd = fd
        self.path = path
        self.maxBytes = maxBytes
    }

    deinit { close(fd) }

    /// Appends a piece of the body.
    public func write(_ bytes: some Collection<UInt8>) throws(FetchError) {
        // Straight from the network buffer when it is contiguous (an array is):
        // iterating a buffer view byte by byte costs far more than the download.
        let done: Result<Void, FetchError>? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(FetchError) { try write(UnsafeRawBufferPointer(buffer)); return .success(()) } catch { return .failure(error) }
        }
        if let done { try done.get(); return }
        let copy = Array(bytes)
        let result: Result<Void, FetchError> = copy.withUnsafeBytes { b in
            do throws(FetchError) { try write(b); return .success(()) } catch { return .failure(error) }
        }
        try result.get()
    }

    /// Appends a piece of the body from memory the caller owns.
    public func write(_ chunk: UnsafeRawBufferPointer) throws(FetchError) {
        guard count + chunk.count <= maxBytes else { throw .tooLarge(limit: maxBytes) }
        if let error = AtomicFile.writeAll(chunk, to: fd) { throw .io("cannot write \(path): \(String(cString: strerror(error)))") }
        let bytes = chunk.bindMemory(to: UInt8.self)
        hasher.update(bytes)
        if head.count < Self.headLimit { head += bytes.prefix(Self.headLimit - head.count) }
        count += chunk.count
    }

    /// Empties the file and starts again (before a retry).
    public func reset() throws(FetchError) {
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
            throw .io("cannot truncate \(path): \(String(cString: strerror(errno)))")
        }
        count = 0
        head = []
        hasher = SHA256()
    }

    /// Waits until everything written is on the disk (fsync).
    public func sync() throws(FetchError) {
        guard fsync(fd) == 0 else { throw .io("cannot save \(path) to the disk: \(String(cString: strerror(errno)))") }
    }

    /// The SHA-256 of everything written, in hex.
    public func digest() -> String { hasher.hexDigest }
}
