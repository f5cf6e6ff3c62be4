import DarkroomCore
import DarkroomPreview
import Foundation
import Testing
@testable import DarkroomTUI

/// The gallery (g): a grid of the list's saved pictures, driven by keys in memory.
@Suite("Gallery")
struct GalleryTests {
    static let prompts = ["a lighthouse at dusk", "a red fox in fog", "一只猫 on a tin roof", "a koi pond, watercolor", "a neon street"]
    /// 30 succeeded tasks (ids 30 down to 1), task 28 with two pictures, task 27 failed.
    static let history: [TaskRecord] = (1...30).reversed().map { i in
        i == 27 ? Records.make(Int64(i), .failed, prompt: "[fail] nothing", error: "policy")
            : Records.make(Int64(i), .succeeded, prompt: prompts[i % prompts.count] + " #\(i)", progress: 100, results: i == 28 ? 2 : 1)
    }

    func driver(_ w: Int = 120, _ h: Int = 40, tasks: [TaskRecord] = GalleryTests.history) -> Driver {
        let d = Driver(width: w, height: h)
        d.send(.tasksLoaded(tasks, replace: true))
        d.press(.f(3))
        return d
    }

    func requested(_ d: Driver) -> [PreviewKey] {
        d.effects.compactMap { if case let .renderPreview(k) = $0 { return k } else { return nil } }
    }

    var square: Bitmap { Bitmap(width: 16, height: 16) { x, y in (RGB(UInt8(x * 16), UInt8(y * 16), 200), 255) } }

    @Test("g opens it on the selected task's picture; every picture of the list, failed tasks left out; the screen at 80x24, 120x40 and 200x60",
          arguments: [(80, 24), (120, 40), (200, 60)])
    func opens(_ size: (Int, Int)) throws {
        let d = driver(size.0, size.1)
        d.effects = []
        d.press(.char("g"))
        let g = try #require(d.state.gallery)
        #expect(g.selected == 0)
        #expect(GalleryPlanner.items(d.state).count == 30)   // 29 tasks, one with two pictures
        // The visible tiles' pictures are asked for, each fitted to its tile.
        let grid = GalleryPlanner.grid(d.state)
        let asked = requested(d)
        #expect(asked.count == min(30, grid.columns * grid.rows))
        // Two ready, the rest still decoding.
        for k in asked.prefix(2) { d.send(.previewReady(k, PreviewImage(fitting: square, columns: k.columns, rows: k.rows))) }
        assertSnapshot(d.screen, named: "gallery-\(size.0)x\(size.1)")
        #expect(d.screen.contains("Gallery  30 pictures"))
        #expect(!d.screen.contains("[fail] nothing"))
        // Every tile inside the screen.
        for i in 0..<(grid.columns * grid.rows) {
            let t = try #require(GalleryPlanner.tile(d.state, i, top: 0))
            #expect(t.maxX <= size.0 && t.maxY <= size.1 - 2)
        }
    }

    @Test("arrows move by a picture and by a row, the grid scrolls with them, and the list's selection follows")
    func moves() throws {
        let d = driver()
        d.press(.char("g"))
        let columns = GalleryPlanner.grid(d.state).columns
        d.press(.right)
        #expect(d.state.gallery?.selected == 1)
        #expect(d.state.selectedID == 29)
        d.press(.down)
        #expect(d.state.gallery?.selected == 1 + columns)
        d.press(.end)
        #expect(d.state.gallery?.selected == 29)
        #expect((d.state.gallery?.top ?? 0) > 0)
        #expect(d.screen.contains("#1 "))
        d.press(.home, .left, .up)
        #expect(d.state.gallery?.selected == 0 && d.state.gallery?.top == 0)
    }

    @Test("Enter opens the task's detail; v the picture full screen, and Esc comes back to the gallery; Esc or g closes it")
    func opensAndCloses() throws {
        let d = driver()
        d.press(.char("g"), .right, .right, .right)   // the fourth picture: task 28's second? no: 30, 29, 28[0], 28[1]
        let item = try #require(GalleryKeys.selectedItem(d.state))
        #expect(item.task.localID == 28 && item.result.index == 1)
        d.press(.char("v"))
        #expect(d.state.overlay?.fullPreview == FullPreview(localID: 28, index: 1))
        d.press(.escape)
        #expect(d.state.overlay == nil && d.state.gallery != nil)
        d.press(.enter)
        #expect(d.state.gallery == nil && d.state.focus == .detail && d.state.selectedID == 28)
        d.press(.char("g"))
        #expect(d.state.gallery != nil)
        d.press(.char("g"))
        #expect(d.state.gallery == nil)
        d.press(.char("g"), .escape)
        #expect(d.state.gallery == nil)
    }

    @Test("/ and s filter as in the task list: the search is typed on the title row and reloads the list")
    func filters() throws {
        let d = driver()
        d.press(.char("g"))
        d.effects = []
        d.press(.char("/"))
        d.type("fox")
        #expect(d.screen.split(separator: "\n").first?.contains("/fox") == true)
        d.press(.enter)
        #expect(d.effects.contains(.loadTasks(d.state.query())))
        #expect(d.state.filterText == "fox")
        let foxes = GalleryTests.history.filter { $0.request.prompt.contains("fox") }
        d.send(.tasksLoaded(foxes, replace: true))
        #expect(d.screen.contains("Gallery  \(foxes.count) pictures  /fox"))
        d.effects = []
        d.press(.char("s"))
        #expect(d.state.statusFilter != .all)
        #expect(d.effects.contains(.loadTasks(d.state.query())))
        d.send(.tasksLoaded([], replace: true))
        #expect(d.screen.contains("No saved pictures match this search or filter"))
    }

    @Test("the selection stays on its picture when newer pictures arrive before it")
    func anchored() throws {
        let d = driver()
        d.press(.char("g"), .right, .right)
        let item = try #require(GalleryKeys.selectedItem(d.state))
        d.send(.taskChanged(Records.make(31, .succeeded, prompt: "newest", progress: 100, results: 1)))
        #expect(GalleryKeys.selectedItem(d.state) == item)
        #expect(d.state.gallery?.selected == 3)
    }

    @Test("near the end of what is loaded, the next page of the list is asked for")
    func pages() throws {
        let d = driver()
        d.state.hasMore = true
        d.press(.char("g"))
        d.effects = []
        d.press(.end)
        #expect(d.effects.contains(.loadTasks(d.state.query(before: 1))))
    }

    @Test("with kitty graphics, thumbnails are pictures too, each its own image id")
    func kitty() throws {
        let d = driver()
        d.state.graphics = .kitty
        d.state.cellPixels = CellPixels(width: 10, height: 20)
        d.effects = []
        d.press(.char("g"))
        let asked = requested(d)
        #expect(asked.allSatisfy { $0.pixels != nil })
        d.effects = []
        for k in asked.prefix(3) {
            let cell = try #require(k.pixels)
            d.send(.previewReady(k, try #require(PreviewImage(picture: square, columns: k.columns, rows: k.rows, cell: cell))))
        }
        let ids = d.effects.compactMap { if case let .uploadPicture(id, _, _, _) = $0 { return id } else { return nil } }
        #expect(Set(ids).count == 3)
    }

    @Test("the mouse: a click selects a picture, a double click shows it full screen, the wheel moves by a row")
    func mouse() throws {
        let d = driver()
        d.press(.char("g"))
        let t = try #require(GalleryPlanner.tile(d.state, 2, top: 0))
        d.send(.mouse(.click, x: t.x + 2, y: t.y + 2))
        #expect(d.state.gallery?.selected == 2)
        d.send(.mouse(.wheelDown, x: t.x + 2, y: t.y + 2))
        #expect(d.state.gallery?.selected == 2 + GalleryPlanner.grid(d.state).columns)
        d.send(.mouse(.doubleClick, x: t.x + 2, y: t.y + 2))
        #expect(d.state.overlay?.fullPreview != nil)
    }

    @Test("an empty history says how pictures arrive")
    func empty() {
        let d = driver(tasks: [])
        d.press(.char("g"))
        #expect(d.screen.contains("No saved pictures yet"))
    }
}
