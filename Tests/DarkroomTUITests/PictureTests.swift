import DarkroomCore
import DarkroomPreview
import Foundation
import Testing
@testable import DarkroomTUI

/// Real pictures through the kitty protocol, in the pure core: what is asked
/// for, when an upload is an effect, how placeholder cells are drawn, and when
/// pictures are deleted.
@Suite("Kitty pictures in the TUI")
struct PictureTests {
    static let picture = Bitmap(width: 64, height: 48) { x, y in (RGB(UInt8(x * 4), UInt8(y * 5), 128), 255) }

    func driver(depth: ColorDepth = .palette256) -> Driver {
        let d = Driver(width: 120, height: 40)
        d.state.colorDepth = depth
        d.state.graphics = .kitty
        d.state.cellPixels = CellPixels(width: 10, height: 20)
        d.send(.tasksLoaded(Records.sample, replace: true))
        return d
    }

    func requested(_ d: Driver) -> [PreviewKey] {
        d.effects.compactMap { if case let .renderPreview(k) = $0 { return k } else { return nil } }
    }

    func uploads(_ d: Driver) -> [(id: Int, png: [UInt8], columns: Int, rows: Int)] {
        d.effects.compactMap { if case let .uploadPicture(id, png, c, r) = $0 { return (id, png, c, r) } else { return nil } }
    }

    func ready(_ d: Driver, _ k: PreviewKey) throws {
        let cell = try #require(k.pixels)
        let image = try #require(PreviewImage(picture: Self.picture, columns: k.columns, rows: k.rows, cell: cell))
        d.send(.previewReady(k, image))
    }

    @Test("with kitty, previews are asked for in pixels; with cells, as half blocks")
    func asksInPixels() throws {
        let d = driver()
        d.effects = []
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).first)
        #expect(k.pixels == CellPixels(width: 10, height: 20))
        let c = Driver(width: 120, height: 40)
        c.send(.tasksLoaded(Records.sample, replace: true))
        c.effects = []
        c.press(.f(3), .down, .down)
        #expect(requested(c).first?.pixels == nil)
        // 16 colours cannot name an image: cells there.
        let sixteen = driver(depth: .palette16)
        sixteen.effects = []
        sixteen.press(.f(3), .down, .down)
        #expect(requested(sixteen).first?.pixels == nil)
    }

    @Test("a ready picture is uploaded once as an effect, the state keeps no PNG, and placeholder cells name rows, columns and the id")
    func uploadAndCells() throws {
        let d = driver()
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).last)
        d.effects = []
        try ready(d, k)
        let up = try #require(uploads(d).first)
        #expect(uploads(d).count == 1)
        #expect(KittyGraphics.imageIDs.contains(up.id))
        #expect(Array(up.png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        guard case let .ready(kept) = d.state.previews[k] else { Issue.record("no ready slot"); return }
        #expect(kept.picture?.payload.isEmpty == true)
        #expect(kept.picture?.imageID == up.id)
        // 64x48 into 27x15 cells of 10x20 px (270x300): 270 px wide, 203 tall: 27x10 cells.
        #expect(up.columns == 27 && up.rows == 10)
        let screen = AppView.render(d.state, now: Driver.now).screen
        var seen = Set<[Int]>()
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let cell = screen[x, y]
                let scalars = Array(cell.text.unicodeScalars)
                guard scalars.first == KittyGraphics.placeholder else { continue }
                #expect(scalars.count == 3)
                #expect(cell.style.fg == .palette(UInt8(up.id)))
                let row = try #require(KittyGraphics.value(ofDiacritic: scalars[1]))
                let column = try #require(KittyGraphics.value(ofDiacritic: scalars[2]))
                seen.insert([row, column])
            }
        }
        #expect(seen.count == 27 * 10)
        #expect(seen.contains([0, 0]) && seen.contains([9, 26]))
        // Full screen: a new size, a second picture; its caption says how it is drawn.
        d.effects = []
        d.press(.char("v"))
        let full = try #require(requested(d).last)
        try ready(d, full)
        #expect(uploads(d).count == 1 && uploads(d).first?.id != up.id)
        #expect(d.screen.contains("384x216 PNG · kitty graphics"), "the file's own size, and how it is drawn")
    }

    @Test("the detail's Preview line says how pictures are drawn and why")
    func previewLine() {
        let d = driver()
        d.state.graphicsReason = "asked the terminal"
        #expect(DetailView.previewLine(d.state) == "kitty graphics (asked the terminal)")
        d.state.colorDepth = .palette16
        #expect(DetailView.previewLine(d.state) == "grey shades (16 colours) (asked the terminal)", "kitty needs 256 colours")
        d.state.colorDepth = .none
        #expect(DetailView.previewLine(d.state) == "shade characters, no colour (NO_COLOR or a monochrome terminal)")
        d.state.colorDepth = .palette256
        d.state.graphics = .sixel
        d.state.graphicsReason = "DARKROOM_GRAPHICS"
        #expect(DetailView.previewLine(d.state) == "sixel (DARKROOM_GRAPHICS)")
    }

    @Test("in direct colour the id is the colour's number")
    func directColour() throws {
        let d = driver(depth: .direct)
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).last)
        d.effects = []
        try ready(d, k)
        let id = try #require(uploads(d).first?.id)
        let screen = AppView.render(d.state, now: Driver.now).screen
        let cell = try #require(screen.cells.first { $0.text.unicodeScalars.first == KittyGraphics.placeholder })
        #expect(cell.style.fg == .rgb(0, 0, UInt8(id)))
    }

    @Test("moving back to a picture shows it without a second upload")
    func secondVisit() throws {
        let d = driver()
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).last)
        try ready(d, k)
        d.effects = []
        d.press(.down, .up)
        #expect(uploads(d).isEmpty)
        #expect(requested(d).isEmpty)
        #expect(d.screen.unicodeScalars.contains(KittyGraphics.placeholder))
    }

    @Test("pictures that leave the cache are deleted from the terminal, and their ids reused")
    func eviction() throws {
        var cache = PreviewCache(capacity: 2)
        func picture(_ id: Int) -> PreviewSlot {
            var p = PreviewImage(fitting: Self.picture, columns: 4, rows: 2)
            p.picture = TerminalPicture(payload: [], pixelWidth: 1, pixelHeight: 1, imageID: id)
            return .ready(p)
        }
        let a = PreviewKey(path: "a", columns: 4, rows: 2), b = PreviewKey(path: "b", columns: 4, rows: 2), c = PreviewKey(path: "c", columns: 4, rows: 2)
        #expect(cache.set(a, picture(16)).isEmpty)
        #expect(cache.freeImageID() == 17)
        #expect(cache.set(b, picture(17)).isEmpty)
        #expect(cache.set(c, .loading) == [16])
        #expect(cache.freeImageID() == 16)
        #expect(cache.imageIDs == [17])
        #expect(cache.set(b, nil) == [17])
    }

    @Test("sixel and iTerm2: no upload; the picture is a placement over blank cells inside its area, gone under an overlay, back after it",
          arguments: [GraphicsProtocol.sixel, .iterm2])
    func placements(_ graphics: GraphicsProtocol) throws {
        let d = driver()
        d.state.graphics = graphics
        d.effects = []
        d.press(.f(3), .down, .down)
        let k = try #require(requested(d).last)
        #expect(k.format == graphics.pictureFormat && k.pixels != nil)
        d.effects = []
        let cell = try #require(k.pixels)
        d.send(.previewReady(k, try #require(PreviewImage(picture: Self.picture, columns: k.columns, rows: k.rows, cell: cell, format: k.format))))
        #expect(uploads(d).isEmpty)
        let screen = AppView.render(d.state, now: Driver.now).screen
        let p = try #require(screen.placements.first)
        #expect(screen.placements.count == 1)
        #expect(p.picture.format == k.format && !p.picture.payload.isEmpty)
        let box = PreviewPlanner.detailBox(d.state, pane: Layout.rect(d.state, .detail)!.inset(1))!
        let area = PreviewPlanner.imageArea(box)
        #expect(p.rect.x >= area.x && p.rect.maxX <= area.maxX && p.rect.y >= area.y && p.rect.maxY <= area.maxY)
        for y in p.rect.y..<p.rect.maxY { for x in p.rect.x..<p.rect.maxX { #expect(screen[x, y].text == " ") } }
        d.press(.f(1))
        #expect(AppView.render(d.state, now: Driver.now).screen.placements.isEmpty)
        d.press(.escape)
        #expect(AppView.render(d.state, now: Driver.now).screen.placements == [p])
    }
}
