import DarkroomCore
import DarkroomPreview

/// A preview as the state knows it: asked for, drawn, or impossible (with why).
public enum PreviewSlot: Equatable, Sendable {
    case loading
    case ready(PreviewImage)
    case failed(String)
}

/// The previews the TUI holds, newest use last; bounded so browsing thousands
/// of tasks never grows memory (a 60x30 preview is about 11 KB).
public struct PreviewCache: Equatable, Sendable {
    public private(set) var slots: [PreviewKey: PreviewSlot] = [:]
    private var order: [PreviewKey] = []
    /// Entries kept (default 160: a screen of thumbnails and several details).
    public let capacity: Int

    public init(capacity: Int = 160) { self.capacity = capacity }

    public subscript(key: PreviewKey) -> PreviewSlot? { slots[key] }

    /// Puts, replaces or (nil) removes a slot. Returns the kitty image ids of the
    /// pictures that left the cache, for the shell to delete from the terminal.
    @discardableResult
    public mutating func set(_ key: PreviewKey, _ slot: PreviewSlot?) -> [Int] {
        order.removeAll { $0 == key }
        var gone: [Int] = []
        if let id = slots[key]?.imageID, slot?.imageID != id { gone.append(id) }
        guard let slot else { slots[key] = nil; return gone }
        slots[key] = slot
        order.append(key)
        while order.count > capacity {
            let k = order.removeFirst()
            if let id = slots[k]?.imageID { gone.append(id) }
            slots[k] = nil
        }
        return gone
    }

    /// A kitty image id no cached picture uses (the capacity is below the number of ids).
    public func freeImageID() -> Int {
        let used = Set(slots.values.compactMap(\.imageID))
        return KittyGraphics.imageIDs.first { !used.contains($0) } ?? KittyGraphics.imageIDs.lowerBound
    }

    /// Every kitty image id in use (deleted from the terminal on exit).
    public var imageIDs: [Int] { slots.values.compactMap(\.imageID).sorted() }
}

extension PreviewSlot {
    /// The kitty image id of a ready picture.
    var imageID: Int? {
        if case let .ready(p) = self { return p.picture?.imageID }
        return nil
    }
}

/// The full-screen preview (`v`): which task, and which of its results.
public struct FullPreview: Equatable, Sendable {
    public var localID: Int64
    public var index: Int
}

/// Which previews the screen shows now, so `update` can ask for the missing
/// ones. Shares its geometry with the views, so what is asked for is exactly
/// what gets drawn.
enum PreviewPlanner {
    /// Results that have a file to preview.
    static func saved(_ t: TaskRecord) -> [ResultRecord] {
        t.results.filter { $0.state == .saved && $0.file != nil }
    }

    static func key(_ s: AppState, _ r: ResultRecord, in box: Rect) -> PreviewKey? {
        guard let file = r.file, box.width > 0, box.height > 0 else { return nil }
        let format = pictureFormat(s)
        return PreviewKey(path: file.path, version: file.sha256, columns: box.width, rows: box.height,
                          pixels: format == nil ? nil : s.cellPixels, format: format ?? .kitty)
    }

    /// The format of real pictures now, or nil for cells. Kitty placeholders
    /// need the image id as a colour: 256 colours or direct colour.
    static func pictureFormat(_ s: AppState) -> PictureFormat? {
        guard let f = s.graphics.pictureFormat else { return nil }
        if f == .kitty { return s.colorDepth == .palette256 || s.colorDepth == .direct ? .kitty : nil }
        return f
    }

    /// The detail pane's preview box: the right two fifths of the pane, when
    /// the selected task has a saved result and the pane is wide enough.
    static func detailBox(_ s: AppState, pane inner: Rect) -> Rect? {
        guard let t = s.selected, !saved(t).isEmpty, inner.width >= 44, inner.height >= 4 else { return nil }
        let w = max(16, inner.width * 2 / 5)
        return Rect(x: inner.maxX - w, y: inner.y, width: w, height: inner.height)
    }

    /// Where the image goes inside a preview box: a caption line below it.
    static func imageArea(_ box: Rect) -> Rect {
        Rect(x: box.x + 1, y: box.y, width: box.width - 1, height: max(1, box.height - 1))
    }

    /// The full-screen preview's box: the screen but the title row and the hint
    /// row (the caption is the box's last row).
    static func fullBox(_ s: AppState) -> Rect {
        Rect(x: 0, y: 1, width: s.width, height: max(1, s.height - 2))
    }

    /// The thumbnail column of the task list, for a row.
    static let thumbnailWidth = 4

    static func showsThumbnails(_ s: AppState, list inner: Rect) -> Bool {
        s.showThumbnails && inner.width >= 60
    }

    static func wanted(_ s: AppState) -> [PreviewKey] {
        guard s.graphics != .none, !s.isTooSmall else { return [] }
        if let f = s.overlay?.fullPreview {
            guard let t = s.tasks.first(where: { $0.localID == f.localID }),
                  let r = saved(t).first(where: { $0.index == f.index }) else { return [] }
            return key(s, r, in: imageArea(fullBox(s))).map { [$0] } ?? []
        }
        if let c = s.comparison { return ComparePlanner.wanted(s, c) }
        if let g = s.gallery { return GalleryPlanner.wanted(s, g) }
        var keys: [PreviewKey] = []
        if let pane = Layout.rect(s, .detail), let box = detailBox(s, pane: pane.inset(1)),
           let r = s.selected.flatMap({ saved($0).first }), let k = key(s, r, in: imageArea(box)) {
            keys.append(k)
        }
        if let pane = Layout.rect(s, .tasks), showsThumbnails(s, list: pane.inset(1)) {
            let rows = Layout.listRows(s)
            for t in s.tasks.dropFirst(s.scrollTop).prefix(rows) {
                if let r = saved(t).first, let k = key(s, r, in: Rect(x: 0, y: 0, width: thumbnailWidth, height: 1)) { keys.append(k) }
            }
        }
        return keys
    }

    /// A picture arrived: a kitty one gets an image id and goes to the terminal
    /// once (the state keeps no PNG); iTerm2 and sixel pictures are kept whole
    /// (sent at each redraw); cells are kept as they are.
    static func ready(_ s: inout AppState, _ k: PreviewKey, _ image: PreviewImage) -> [Effect] {
        guard s.previews[k] != nil else { return [] }
        var image = image
        var effects: [Effect] = []
        if var picture = image.picture, picture.format == .kitty {
            let id = s.previews.freeImageID()
            effects.append(.uploadPicture(id: id, png: picture.payload, columns: image.columns, rows: image.rows))
            picture.payload = []
            picture.imageID = id
            image.picture = picture
        }
        let gone = s.previews.set(k, .ready(image))
        if !gone.isEmpty { effects.append(.deletePictures(gone)) }
        return effects
    }

    /// Marks the missing previews as loading and returns the effects that make them.
    static func request(_ s: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        var gone: [Int] = []
        for k in wanted(s) where s.previews[k] == nil {
            gone += s.previews.set(k, .loading)
            effects.append(.renderPreview(k))
        }
        if !gone.isEmpty { effects.append(.deletePictures(gone)) }
        return effects
    }
}
