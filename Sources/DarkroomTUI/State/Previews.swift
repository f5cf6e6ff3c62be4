import DarkroomHistory
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

    public mutating func set(_ key: PreviewKey, _ slot: PreviewSlot?) {
        order.removeAll { $0 == key }
        guard let slot else { slots[key] = nil; return }
        slots[key] = slot
        order.append(key)
        while order.count > capacity { slots[order.removeFirst()] = nil }
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

    static func key(_ r: ResultRecord, in box: Rect) -> PreviewKey? {
        guard let file = r.file, box.width > 0, box.height > 0 else { return nil }
        return PreviewKey(path: file.path, version: file.sha256, columns: box.width, rows: box.height)
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
        guard s.colorDepth != .none, !s.isTooSmall else { return [] }
        if let f = s.overlay?.fullPreview {
            guard let t = s.tasks.first(where: { $0.localID == f.localID }),
                  let r = saved(t).first(where: { $0.index == f.index }) else { return [] }
            return key(r, in: imageArea(fullBox(s))).map { [$0] } ?? []
        }
        var keys: [PreviewKey] = []
        if let pane = Layout.rect(s, .detail), let box = detailBox(s, pane: pane.inset(1)),
           let r = s.selected.flatMap({ saved($0).first }), let k = key(r, in: imageArea(box)) {
            keys.append(k)
        }
        if let pane = Layout.rect(s, .tasks), showsThumbnails(s, list: pane.inset(1)) {
            let rows = Layout.listRows(s)
            for t in s.tasks.dropFirst(s.scrollTop).prefix(rows) {
                if let r = saved(t).first, let k = key(r, in: Rect(x: 0, y: 0, width: thumbnailWidth, height: 1)) { keys.append(k) }
            }
        }
        return keys
    }

    /// Marks the missing previews as loading and returns the effects that make them.
    static func request(_ s: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for k in wanted(s) where s.previews[k] == nil {
            s.previews.set(k, .loading)
            effects.append(.renderPreview(k))
        }
        return effects
    }
}
