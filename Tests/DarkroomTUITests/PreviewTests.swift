import DarkroomCore
import DarkroomPreview
import Foundation
import Testing
@testable import DarkroomTUI

/// Previews in the TUI core: what is asked for, when, and how it is drawn.
@Suite("Previews in the TUI")
struct PreviewTests {
    /// 8x8: red, green / blue, white quadrants.
    static let quadrants = Bitmap(width: 8, height: 8) { x, y in
        ([RGB(255, 0, 0), RGB(0, 255, 0), RGB(0, 0, 255), RGB(255, 255, 255)][(y < 4 ? 0 : 2) + (x < 4 ? 0 : 1)], 255)
    }

    func driver(width: Int = 120, height: Int = 40, depth: ColorDepth = .palette256) -> Driver {
        let d = Driver(width: width, height: height)
        d.state.colorDepth = depth
        d.send(.tasksLoaded(Records.sample, replace: true))
        return d
    }

    func requested(_ d: Driver) -> [PreviewKey] {
        d.effects.compactMap { if case let .renderPreview(k) = $0 { return k } else { return nil } }
    }

    /// The colours of a rectangle of cells, one line per row: glyph and fg/bg per cell.
    func colours(_ d: Driver, _ r: Rect) -> String {
        let screen = AppView.render(d.state, now: Driver.now).screen
        func name(_ c: DarkroomTUI.Color) -> String {
            switch c {
            case .default: return "-"
            case let .basic(n): return "b\(n)"
            case let .bright(n): return "B\(n)"
            case let .palette(n): return "p\(n)"
            case let .rgb(r, g, b): return RGB(r, g, b).description
            }
        }
        return (r.y..<r.maxY).map { y in
            (r.x..<r.maxX).map { x in let c = screen[x, y]; return "\(c.text)\(name(c.style.fg))/\(name(c.style.bg))" }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    @Test("selecting a task with a saved file asks for its preview once, fitted to the detail box")
    func asksOnce() throws {
        let d = driver()
        d.effects = []
        d.press(.f(3), .down, .down)   // #4: succeeded, two saved results
        let keys = requested(d)
        #expect(keys.count == 1)
        let k = try #require(keys.first)
        #expect(k.path == "/data/results/task_4/0.png")
        #expect(k.columns == 27 && k.rows == 15)
        #expect(d.state.previews[k] == .loading)
        #expect(d.screen.contains("decoding preview…"))
        // Away and back: cached, not asked again.
        d.effects = []
        d.press(.down, .up)
        #expect(requested(d).isEmpty)
    }

    @Test("a ready preview is drawn as half blocks with the image's colours, caption under it")
    func drawn() throws {
        let d = driver()
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).last)
        d.send(.previewReady(k, PreviewImage(fitting: Self.quadrants, columns: k.columns, rows: k.rows)))
        let screen = d.screen
        #expect(screen.contains("▀▀▀▀▀▀▀▀▀▀▀▀▀"))
        #expect(screen.contains("384x216 PNG  1 of 2, v all"))
        assertSnapshot(screen, named: "detail-preview-120x40")
        // The image area is 27x15 cells; the 8x8 image takes 27x14 of it (27 pixels wide, 28 tall).
        let box = PreviewPlanner.detailBox(d.state, pane: Layout.rect(d.state, .detail)!.inset(1))!
        let area = PreviewPlanner.imageArea(box)
        assertSnapshot(colours(d, Rect(x: area.x, y: area.y, width: area.width, height: 2)), named: "detail-preview-colours-256")
    }

    @Test("16 and 8 colours draw a grey ramp of shades; no colour (NO_COLOR) the shade glyphs alone, with no colour",
          arguments: [ColorDepth.palette16, .palette8, .none])
    func depths(_ depth: ColorDepth) throws {
        let d = driver(depth: depth)
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).last)
        d.send(.previewReady(k, PreviewImage(fitting: Self.quadrants, columns: k.columns, rows: k.rows)))
        let box = PreviewPlanner.detailBox(d.state, pane: Layout.rect(d.state, .detail)!.inset(1))!
        let area = PreviewPlanner.imageArea(box)
        assertSnapshot(colours(d, Rect(x: area.x, y: area.y + 5, width: area.width, height: 2)), named: "detail-preview-colours-\(depth.rawValue)")
    }

    @Test("a corrupt file shows why, in the box, and the text beside it stays whole")
    func failed() throws {
        let d = driver()
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).last)
        d.send(.previewFailed(k, "cannot decode the PNG: \u{1B}[31mbad CRC"))
        #expect(d.screen.contains("no preview: cannot decode"))
        #expect(!d.screen.contains("\u{1B}"))
        #expect(d.screen.contains("Request  NanoBanana2-1K"))
    }

    @Test("a dropped request is asked for again while it is still on screen")
    func dropped() throws {
        let d = driver()
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).last)
        d.effects = []
        d.send(.previewDropped(k))
        #expect(requested(d) == [k])
        #expect(d.state.previews[k] == .loading)
    }

    @Test("v shows the result full screen; ←→ between results, ↑↓ between tasks, Esc returns")
    func fullScreen() throws {
        let d = driver()
        d.press(.f(3), .down, .down)
        d.effects = []
        d.press(.char("v"))
        #expect(d.state.overlay?.fullPreview == FullPreview(localID: 4, index: 0))
        let k = try #require(requested(d).last)
        #expect(k.columns == 119 && k.rows == 37)
        d.send(.previewReady(k, PreviewImage(fitting: Self.quadrants, columns: k.columns, rows: k.rows)))
        assertSnapshot(d.screen, named: "full-preview-120x40")
        d.press(.right)
        #expect(d.state.overlay?.fullPreview?.index == 1)
        #expect(requested(d).last?.path == "/data/results/task_4/1.png")
        d.press(.right)
        #expect(d.state.overlay?.fullPreview?.index == 0, "wraps around")
        d.press(.down)
        #expect(d.state.overlay?.fullPreview?.localID == 3)
        #expect(d.screen.contains("#3 has no saved image"))
        d.press(.escape)
        #expect(d.state.overlay?.fullPreview == nil)
        #expect(d.state.selectedID == 3, "the selection followed")
    }

    @Test("v on a task without a file says so and stays")
    func nothingToView() {
        let d = driver()
        d.press(.f(3), .down)   // #5, running
        d.press(.char("v"))
        #expect(d.state.overlay?.fullPreview == nil)
        #expect(d.state.message == "#5 has no image to preview")
    }

    @Test("t shows a thumbnail column: one small preview per visible saved task")
    func thumbnails() {
        let d = driver()
        d.press(.f(3))
        d.effects = []
        d.press(.char("t"))
        let keys = requested(d)
        #expect(Set(keys.map(\.path)) == ["/data/results/task_4/0.png", "/data/results/task_1/0.png"])
        #expect(keys.allSatisfy { $0.columns == 4 && $0.rows == 1 })
        #expect(d.screen.contains("✓ ····"))
    }

    @Test("the cache is bounded: old previews go, oldest first")
    func bounded() {
        var cache = PreviewCache(capacity: 2)
        let keys = (1...3).map { PreviewKey(path: "/p\($0)", columns: 1, rows: 1) }
        for k in keys { cache.set(k, .loading) }
        #expect(cache[keys[0]] == nil)
        #expect(cache[keys[1]] == .loading && cache[keys[2]] == .loading)
    }
}
