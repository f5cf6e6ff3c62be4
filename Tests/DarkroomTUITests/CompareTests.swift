import DarkroomCore
import DarkroomPreview
import Foundation
import Testing
@testable import DarkroomTUI

/// The comparison grid of a run (c), driven by keys in memory.
@Suite("Comparing a run")
struct CompareTests {
    /// Run 1: two prompts × two models × two shapes (gpt-image-2 sizes, NanoBanana ratios), oldest first.
    static let run: [TaskRecord] = {
        var out: [TaskRecord] = []
        var id: Int64 = 10
        for prompt in ["a red fox in fog", "a blue fox in snow"] {
            for (model, shapes) in [("gpt-image-2", ["1024x1024", "1536x1024"]), ("NanoBanana2-1K", ["1:1", "3:2"])] {
                for shape in shapes {
                    let size = model == "gpt-image-2" ? shape : nil
                    var t = Records.make(id, id == 17 ? .processing : .succeeded, prompt: prompt, model: model, progress: id == 17 ? 40 : 100,
                                         size: size, ratio: size == nil ? shape : nil, results: id == 17 ? 0 : 1)
                    t.runID = 1
                    out.append(t)
                    id += 1
                }
            }
        }
        return out.reversed()   // the list is newest first
    }()

    func driver(_ w: Int = 120, _ h: Int = 40) -> Driver {
        let d = Driver(width: w, height: h)
        d.send(.tasksLoaded(Self.run + Records.sample, replace: true))
        d.press(.f(3))
        return d
    }

    @Test("c on a task of a run opens the grid on that task and asks for the whole run; the axes are what varies",
          arguments: [(120, 40), (80, 24)])
    func opens(_ size: (Int, Int)) throws {
        let d = driver(size.0, size.1)
        d.press(.down)   // #16: the blue fox, NanoBanana2-1K, 1:1
        d.effects = []
        d.press(.char("c"))
        #expect(d.effects.contains(.loadRun(1)))
        d.send(.runLoaded(1, Self.run))
        let c = try #require(d.state.comparison)
        let shape = ComparePlanner.shape(c)
        #expect(shape.rows?.name == "prompt" && shape.columns?.name == "model" && shape.pages?.name == "shape")
        #expect(shape.pages?.values == ["1:1", "3:2"], "a size meets the ratio nearest its shape")
        #expect(CompareKeys.selectedTask(d.state)?.localID == 16)
        // Two pictures arrive; the rest are decoding or running.
        let asked = d.effects.compactMap { if case let .renderPreview(k) = $0 { return k } else { return nil } }
        #expect(!asked.isEmpty)
        let square = Bitmap(width: 8, height: 8) { x, y in (RGB(UInt8(x * 30), UInt8(y * 30), 90), 255) }
        for k in asked.prefix(2) { d.send(.previewReady(k, PreviewImage(fitting: square, columns: k.columns, rows: k.rows))) }
        assertSnapshot(d.screen, named: "compare-\(size.0)x\(size.1)")
        #expect(d.screen.contains("Run #1  8 tasks  ·  rows: prompt  ·  columns: model"))
    }

    @Test("a steps through every order of the axes (which field is rows, columns, pages); the selection stays on its task")
    func arrange() throws {
        let d = driver()
        d.press(.down)   // #16
        d.press(.char("c"))
        d.send(.runLoaded(1, Self.run))
        var seen: Set<[String]> = []
        for _ in 0..<6 {
            let c = try #require(d.state.comparison)
            let shape = ComparePlanner.shape(c)
            seen.insert([shape.rows, shape.columns, shape.pages].compactMap { $0?.name })
            #expect(CompareKeys.selectedTask(d.state)?.localID == 16)
            d.press(.char("a"))
        }
        #expect(seen.count == 6, "every order of prompt, model, shape: \(seen)")
        #expect(ComparePlanner.shape(try #require(d.state.comparison)).rows?.name == "prompt", "the seventh is the first again")
        d.press(.char("a"))
        #expect(d.state.message == "Rows: prompt · columns: shape · pages: model")
        #expect(d.screen.contains("rows: prompt  ·  columns: shape"))
    }

    @Test("arrows move, ] pages the third axis, Enter opens the detail, v the picture and Esc comes back, Esc closes")
    func keys() throws {
        let d = driver()
        d.press(.char("c"))
        d.send(.runLoaded(1, Self.run))
        let start = try #require(CompareKeys.selectedTask(d.state))
        #expect(start.localID == 17)
        d.press(.left)
        #expect(CompareKeys.selectedTask(d.state)?.request.model == "gpt-image-2")
        d.press(.char("]"))
        #expect(d.state.comparison?.page == 1)
        d.press(.char("]"))
        #expect(d.state.comparison?.page == 1, "the last page stays")
        d.press(.up)
        let picked = try #require(CompareKeys.selectedTask(d.state))
        #expect(picked.request.prompt == "a red fox in fog" && picked.request.size == "1536x1024")
        d.press(.char("v"))
        #expect(d.state.overlay?.fullPreview?.localID == picked.localID)
        d.press(.escape)
        #expect(d.state.overlay == nil && d.state.comparison != nil)
        d.press(.enter)
        #expect(d.state.comparison == nil && d.state.focus == .detail && d.state.selectedID == picked.localID)
        d.press(.char("c"), .escape)
        #expect(d.state.comparison == nil)
    }

    @Test("a task not in a run says so; y copies the URL (c used to); a running task's cell follows it live")
    func others() throws {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.press(.f(3), .down, .down)
        d.press(.char("c"))
        #expect(d.state.comparison == nil)
        #expect(d.state.message?.contains("is not part of a run") == true)
        let live = driver()
        live.press(.char("c"))
        live.send(.runLoaded(1, Self.run))
        var running = try #require(Self.run.first { $0.localID == 17 })
        running.progress = 80
        live.send(.taskChanged(running))
        #expect(live.screen.contains("running 80%") || live.screen.contains("80%"))
    }
}

@Suite("Comparing a run of two families")
struct CompareFamiliesTests {
    /// Two prompts × (gpt-image-2 at low and high quality, NanoBanana2-1K, which takes no quality).
    static let run: [TaskRecord] = {
        var out: [TaskRecord] = []
        var id: Int64 = 30
        for prompt in ["a red fox", "a blue fox"] {
            for (model, quality) in [("gpt-image-2", "low"), ("gpt-image-2", "high"), ("NanoBanana2-1K", nil)] {
                var t = Records.make(id, .succeeded, prompt: prompt, model: model, progress: 100,
                                     size: quality == nil ? nil : "1536x1024", ratio: quality == nil ? "3:2" : nil, results: 1)
                t.request.quality = quality
                t.runID = 2
                out.append(t)
                id += 1
            }
        }
        return out
    }()

    @Test("a field a model does not take is no value of its axis: that model's picture shows on every page of it")
    func fieldNotTaken() {
        let grid = CompareGrid(Self.run)
        #expect(grid.rows?.name == "prompt" && grid.columns?.name == "model" && grid.pages?.name == "quality")
        #expect(grid.pages?.values == ["low", "high"], "no '—' page for the model without quality")
        #expect(grid.counts.rows == 2 && grid.counts.columns == 2 && grid.counts.pages == 2)
        for page in 0..<2 {
            #expect(grid.task(row: 0, column: 1, page: page)?.localID == 32, "NanoBanana on page \(page)")
        }
        #expect(grid.task(row: 1, column: 0, page: 0)?.localID == 33 && grid.task(row: 1, column: 0, page: 1)?.localID == 34)
        // Without qualities that vary, a mixed run is prompts × models: quality is no axis at all.
        let plain = CompareGrid(Self.run.filter { $0.request.quality != "high" })
        #expect(plain.pages == nil && plain.rows?.name == "prompt" && plain.columns?.name == "model")
    }
}
