import Foundation

/// Which preview: a result file fitted to a box of cells. `version` (the file's
/// checksum when known) makes a re-downloaded file a new preview. With `pixels`
/// (cells of that many pixels) the preview is a real picture for the kitty
/// protocol: a PNG scaled to the box in pixels; without, half-block cells.
public struct PreviewKey: Hashable, Sendable {
    public var path: String
    public var version: String?
    public var columns: Int
    public var rows: Int
    public var pixels: CellPixels?
    /// What the picture is encoded as, with `pixels` (default kitty's PNG).
    public var format: PictureFormat

    public init(path: String, version: String? = nil, columns: Int, rows: Int, pixels: CellPixels? = nil, format: PictureFormat = .kitty) {
        self.path = path
        self.version = version
        self.columns = columns
        self.rows = rows
        self.pixels = pixels
        self.format = format
    }
}

/// Decodes and fits previews on its own thread, so the terminal thread never
/// waits for a decode. The newest request is served first (moving through a
/// list asks for many; the one the user stopped on matters); past
/// `maxPending` waiting requests, the oldest are dropped and reported as
/// dropped so the caller may ask again. Decoded bitmaps of the last few files
/// are kept, so a resize refits without decoding again.
public final class PreviewWorker: @unchecked Sendable {
    /// What became of a request.
    public enum Outcome: Sendable {
        case ready(PreviewImage)
        case failed(PreviewFailure)
        /// Pushed out by newer requests before it was started.
        case dropped
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [PreviewKey] = []
    private var stopped = false
    // Touched only by the worker thread.
    private var bitmaps: [(key: String, bitmap: Bitmap)] = []
    private let maxPending: Int
    private let maxBitmapBytes: Int
    private let thumbnails: ThumbnailCache?
    private let deliver: @Sendable (PreviewKey, Outcome) -> Void

    /// - Parameters:
    ///   - maxPending: requests kept waiting (default 64: a screen of thumbnails and the detail).
    ///   - maxBitmapBytes: decoded pixels kept for refits (default 192 MiB, three 4K images).
    ///   - thumbnails: small copies on disk for small previews (gallery, list); nil: none.
    ///   - deliver: called on the worker thread with each outcome.
    public init(maxPending: Int = 64, maxBitmapBytes: Int = 192 << 20, thumbnails: ThumbnailCache? = nil,
                deliver: @escaping @Sendable (PreviewKey, Outcome) -> Void) {
        self.maxPending = maxPending
        self.maxBitmapBytes = maxBitmapBytes
        self.thumbnails = thumbnails
        self.deliver = deliver
        let thread = Thread { [weak self] in
            thumbnails?.prune()
            self?.work()
        }
        thread.name = "darkroom previews"
        thread.start()
    }

    public func request(_ key: PreviewKey) {
        var dropped: [PreviewKey] = []
        condition.withLock {
            pending.removeAll { $0 == key }
            pending.append(key)
            if pending.count > maxPending {
                dropped = Array(pending.prefix(pending.count - maxPending))
                pending.removeFirst(dropped.count)
            }
            condition.signal()
        }
        for k in dropped { deliver(k, .dropped) }
    }

    /// Requests waiting to be started.
    public var pendingCount: Int { condition.withLock { pending.count } }

    /// Ends the worker thread after the request it is on.
    public func stop() {
        condition.withLock {
            stopped = true
            condition.signal()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopped { condition.wait() }
            if stopped { condition.unlock(); return }
            let key = pending.removeLast()
            condition.unlock()
            deliver(key, render(key))
        }
    }

    /// Decodes (or reuses) and fits one preview. Synchronous; also used by tests.
    public func render(_ key: PreviewKey) -> Outcome {
        // A small preview comes from the thumbnail (kept in memory as such, so a
        // gallery never holds its originals).
        let small = thumbnails?.serves(key) == true
        let id = (small ? "thumb|" : "") + key.path + "|" + (key.version ?? "")
        let bitmap: Bitmap
        if let i = bitmaps.firstIndex(where: { $0.key == id }) {
            bitmap = bitmaps.remove(at: i).bitmap
        } else if small, let cache = thumbnails {
            if let thumb = cache.load(key) {
                bitmap = thumb
            } else {
                do { bitmap = cache.store(try ImageDecoder.decode(file: key.path), for: key) } catch { return .failed(error) }
            }
        } else {
            do { bitmap = try ImageDecoder.decode(file: key.path) } catch { return .failed(error) }
        }
        bitmaps.append((id, bitmap))
        while bitmaps.count > 1 && bitmaps.reduce(0, { $0 + $1.bitmap.byteCount }) > maxBitmapBytes { bitmaps.removeFirst() }
        guard key.columns > 0, key.rows > 0 else { return .failed(PreviewFailure("no room for a preview")) }
        if let pixels = key.pixels {
            guard let image = PreviewImage(picture: bitmap, columns: key.columns, rows: key.rows, cell: pixels, format: key.format) else {
                return .failed(PreviewFailure("the picture could not be encoded for the terminal"))
            }
            return .ready(image)
        }
        return .ready(PreviewImage(fitting: bitmap, columns: key.columns, rows: key.rows))
    }
}
