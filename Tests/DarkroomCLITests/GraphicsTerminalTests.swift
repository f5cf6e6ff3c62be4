import DarkroomPreview
import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Testing

/// Real pictures, checked as bytes: no kitty terminal runs here, so the real
/// binary runs on a pseudo-terminal (or in tmux) and what it writes is decoded
/// back: the kitty upload reassembled into a PNG compared with the result
/// file, the placeholder cells read for their rows, columns and image id.
@Suite("Pictures in the terminal, as bytes", .serialized)
struct GraphicsTerminalTests {
    static let f3 = "\u{1B}OR"   // xterm-256color's kf3

    static func environment(_ home: URL, _ extra: [String: String] = [:]) -> [String: String] {
        // Terminals that answer end the wait at once; a busy machine must not make them late.
        var env = ["DARKROOM_GRAPHICS_TIMEOUT": "5000", "TERM": "xterm-256color", "LANG": "C.UTF-8", "HOME": home.path, "XDG_CONFIG_HOME": home.path + "/config",
                   "XDG_DATA_HOME": home.path + "/data", "XDG_CACHE_HOME": home.path + "/cache", "PATH": "/usr/bin:/bin"]
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// A 120x40 tmux session running `command` with exactly `env`.
    static func session(_ tmux: TmuxTests.Tmux, env: [String: String], _ command: String) throws {
        try tmux.start(env: env.map { "\($0.key)=\($0.value)" }, command)
    }

    /// The demo with DARKROOM_GRAPHICS=kitty in tmux, tmux's passthrough on or off, every byte
    /// of the pane kept in the file returned. The demo starts on Enter, once the bytes are
    /// being kept (its first picture may be uploaded before any key).
    static func kittyDemo(_ tmux: TmuxTests.Tmux, home: URL, passthrough: Bool) async throws -> URL {
        let bytes = home.appendingPathComponent("pane.out")
        FileManager.default.createFile(atPath: bytes.path, contents: nil)
        try session(tmux, env: environment(home, ["DARKROOM_GRAPHICS": "kitty", "NO_COLOR": "", "TERM": "tmux-256color"]),
                    "read go; \(ProcessTests.binary.path) demo --seed 5; sleep 60")
        try tmux.run(["set", "-g", "allow-passthrough", passthrough ? "on" : "off"])
        try tmux.run(["pipe-pane", "-O", "-t", "t", "cat >> '\(bytes.path)'"])
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        return bytes
    }

    static func tempHome() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-gfx-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The demo's result pictures (in `/tmp/darkroom-demo-PID-XXXXXX/results`).
    static func resultFiles(pid: pid_t) -> [URL] {
        let tmp = FileManager.default.temporaryDirectory
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path))?.filter { $0.hasPrefix("darkroom-demo-\(pid)-") } ?? []
        return folders.flatMap { folder -> [URL] in
            let root = tmp.appendingPathComponent(folder).appendingPathComponent("results")
            let all = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
            return all.filter { $0.pathExtension == "png" }
        }
    }

    /// How far `upload` is from the best-matching result file scaled to its size:
    /// the mean absolute difference per channel (0 when it is exactly that file, scaled).
    static func distanceToResults(_ upload: Bitmap, files: [URL]) throws -> Double {
        var best = Double.infinity
        for f in files {
            guard let source = try? ImageDecoder.decode(file: f.path) else { continue }
            // Same aspect ratio only (a fitted picture keeps it, within a pixel).
            guard abs(Double(source.width) / Double(source.height) - Double(upload.width) / Double(upload.height)) < 0.02 else { continue }
            let scaled = BitmapScaler.resize(source, width: upload.width, height: upload.height)
            var sum = 0
            for (i, p) in scaled.enumerated() {
                sum += abs(Int(p.r) - Int(upload.rgba[i * 4])) + abs(Int(p.g) - Int(upload.rgba[i * 4 + 1])) + abs(Int(p.b) - Int(upload.rgba[i * 4 + 2]))
            }
            best = min(best, Double(sum) / Double(scaled.count * 3))
        }
        return best
    }

    /// Every (row, column) the placeholder cells name, for image colour `id`.
    static func placements(_ cells: [[Unicode.Scalar]]) -> Set<[Int]> {
        Set(cells.compactMap { c in
            guard c.count >= 3, let r = KittyGraphics.value(ofDiacritic: c[1]), let col = KittyGraphics.value(ofDiacritic: c[2]) else { return nil }
            return [r, col]
        })
    }

    @Test("a terminal that answers as kitty gets one upload per picture (no passthrough outside tmux), whose PNG is the result scaled, and placeholder cells for every row and column, the id in a palette colour or (xterm-direct) a direct one",
          arguments: ["xterm-256color", "xterm-direct", "xterm-kitty"])
    func kittyAnswers(term: String) async throws {
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let answers = TerminalScript.kitty
        let pty = try PseudoTerminal([ProcessTests.binary.path, "demo", "--seed", "5"], environment: Self.environment(home, ["TERM": term]),
                                     answer: { answers($0) })
        defer { pty.stop() }
        // The questions come before the first frame.
        #expect(await pty.wait { String(decoding: $0, as: UTF8.self).contains("Describe the image") })
        let text = String(decoding: pty.output, as: UTF8.self)
        let asked = try #require(text.range(of: "\u{1B}_Gi=31,s=1,v=1,a=q"))
        let frame = try #require(text.range(of: "Describe the image"))
        #expect(asked.lowerBound < frame.lowerBound)
        pty.send(Self.f3)
        #expect(await pty.wait { !KittyStreamReader($0).uploads.isEmpty && !KittyStreamReader.placeholderCells($0).isEmpty })
        // Let the frame that shows the placeholders arrive in full.
        let up = try #require(KittyStreamReader(pty.output).uploads.first)
        let columns = try #require(up.keys["c"].flatMap { Int($0) }), rows = try #require(up.keys["r"].flatMap { Int($0) })
        #expect(await pty.wait { Self.placements(KittyStreamReader.placeholderCells($0)).count >= columns * rows })
        let reader = KittyStreamReader(pty.output)
        #expect(reader.passthroughs == 0)
        #expect(up.keys["U"] == "1" && up.keys["f"] == "100" && up.keys["q"] == "2")
        #expect(up.chunkSizes.allSatisfy { $0 <= 4096 })
        let id = try #require(up.id)
        let png = try ImageDecoder.decode(Data(up.payload))
        // The box is c x r cells of 10x20 pixels (kitty's answer): the picture fits it, touching one side.
        #expect(png.width <= columns * 10 && png.height <= rows * 20)
        #expect(abs(png.width - columns * 10) <= 10 || abs(png.height - rows * 20) <= 20)
        let distance = try Self.distanceToResults(png, files: Self.resultFiles(pid: pty.pid))
        #expect(distance < 1.0, "the upload is not a result file scaled (mean error \(distance))")
        // Placeholder cells: every row and column of the placement, in the image's colour.
        let seen = Self.placements(KittyStreamReader.placeholderCells(pty.output))
        for r in 0..<rows { for c in 0..<columns { #expect(seen.contains([r, c]), "row \(r) column \(c)") } }
        // The image id as the foreground colour, as terminfo makes it: 256 colours, or direct colour.
        #expect(String(decoding: pty.output, as: UTF8.self).contains(term == "xterm-direct" ? "38:2::0:0:\(id)m" : "38;5;\(id)m"))
        // Quitting deletes what was uploaded.
        pty.send("\u{03}")
        #expect(await pty.wait { KittyStreamReader($0).deletions.contains { $0["i"] == "\(id)" } })
    }

    @Test("DARKROOM_GRAPHICS with a value it does not know: a message naming the six, exit 64, the terminal untouched")
    func unknownGraphics() async throws {
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let pty = try PseudoTerminal([ProcessTests.binary.path, "demo"], environment: Self.environment(home, ["DARKROOM_GRAPHICS": "blocks"]))
        defer { pty.stop() }
        #expect(await pty.wait { String(decoding: $0, as: UTF8.self).contains("nothing was started") })
        let text = String(decoding: pty.output, as: UTF8.self)
        #expect(text.contains("DARKROOM_GRAPHICS=blocks is not one of auto, kitty, iterm2, sixel, cells or none"))
        #expect(!text.contains("\u{1B}[?1049h"), "the screen was never taken")
        var status: Int32 = 0
        #expect(waitpid(pty.pid, &status, 0) == pty.pid)
        #expect((status >> 8) & 0xFF == 64)
    }

    @Test("a terminal that never answers: the TUI starts after the timeout and draws cells, with no upload")
    func silentTerminal() async throws {
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        // The default wait (100 ms): the terminal says nothing.
        let pty = try PseudoTerminal([ProcessTests.binary.path, "demo", "--seed", "5"], environment: Self.environment(home, ["DARKROOM_GRAPHICS_TIMEOUT": ""]))
        defer { pty.stop() }
        #expect(await pty.wait { String(decoding: $0, as: UTF8.self).contains("Describe the image") })
        pty.send(Self.f3)
        #expect(await pty.wait { TmuxTests.blockCells(String(decoding: $0, as: UTF8.self)) >= 200 })
        #expect(KittyStreamReader(pty.output).uploads.isEmpty)
    }

    @Test("DARKROOM_GRAPHICS=kitty in tmux: the detail and the full-screen preview upload through passthrough and draw placeholder cells; going back uploads nothing again",
          .enabled(if: TmuxTests.tmuxAvailable))
    func kittyInTmux() async throws {
        let tmux = TmuxTests.Tmux()
        defer { tmux.kill() }
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let bytes = try await Self.kittyDemo(tmux, home: home, passthrough: true)
        func output() -> [UInt8] { (try? [UInt8](Data(contentsOf: bytes))) ?? [] }
        try tmux.keys("F3")
        let detail = try await tmux.waitFor("placeholder cells") { $0.unicodeScalars.contains(KittyGraphics.placeholder) }
        _ = detail
        let deadline = Date().addingTimeInterval(10)
        while KittyStreamReader(output()).uploads.isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let first = KittyStreamReader(output())
        let up = try #require(first.uploads.first)
        #expect(first.passthroughs >= up.chunks)
        #expect(try ImageDecoder.decode(Data(up.payload)).width > 0)
        // The screen tmux keeps: every row and column of the placement, in the image's colour.
        let coloured = try tmux.run(["capture-pane", "-t", "t", "-p", "-e"], capture: true)
        let id = try #require(up.id)
        #expect(coloured.contains("38;5;\(id)m"))
        let cells = KittyStreamReader.placeholderCells(Array(coloured.utf8))
        let columns = try #require(up.keys["c"].flatMap { Int($0) }), rows = try #require(up.keys["r"].flatMap { Int($0) })
        #expect(Self.placements(cells).count == columns * rows)
        // Full screen: a second, larger upload.
        try tmux.keys("v")
        _ = try await tmux.waitFor("the full-screen preview") { $0.contains("Esc back") && $0.contains("kitty graphics") }
        // tmux shows the screen before `cat` has written the bytes: wait for them.
        let until = Date().addingTimeInterval(10)
        while KittyStreamReader(output()).uploads.count < 2 && Date() < until { try await Task.sleep(for: .milliseconds(50)) }
        let full = KittyStreamReader(output())
        #expect(full.uploads.count == 2)
        #expect((full.uploads.last?.keys["c"].flatMap { Int($0) } ?? 0) > columns)
        // Back to the detail: the first picture is shown again without a second upload.
        try tmux.keys("Escape")
        _ = try await tmux.waitFor("the detail again") { $0.contains("Detail") && $0.unicodeScalars.contains(KittyGraphics.placeholder) }
        let again = try tmux.run(["capture-pane", "-t", "t", "-p", "-e"], capture: true)
        #expect(again.contains("38;5;\(id)m"))
        #expect(KittyStreamReader(output()).uploads.count == 2)
    }

    @Test("DARKROOM_GRAPHICS=kitty in a tmux without passthrough: cells, as the notice says, and nothing uploaded for tmux to drop",
          .enabled(if: TmuxTests.tmuxAvailable))
    func kittyInTmuxWithoutPassthrough() async throws {
        let tmux = TmuxTests.Tmux()
        defer { tmux.kill() }
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let bytes = try await Self.kittyDemo(tmux, home: home, passthrough: false)
        try tmux.keys("F3")
        let detail = try await tmux.waitFor("the preview in cells") { TmuxTests.blockCells($0) >= 200 && $0.contains("block cells") }
        #expect(!detail.unicodeScalars.contains(KittyGraphics.placeholder), "no placeholder boxes")
        #expect(!detail.contains("kitty graphics"))
        #expect(KittyStreamReader((try? [UInt8](Data(contentsOf: bytes))) ?? []).uploads.isEmpty, "nothing uploaded")
        try tmux.keys("L")
        _ = try await tmux.waitFor("the advice in the message log") { $0.contains("allow-passthrough on") && $0.contains("meanwhile") }
    }

    @Test("the demo's gallery in tmux: g shows its pictures as thumbnails kept on disk; Enter opens the task's detail",
          .enabled(if: TmuxTests.tmuxAvailable))
    func gallery() async throws {
        let tmux = TmuxTests.Tmux()
        defer { tmux.kill() }
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        try Self.session(tmux, env: Self.environment(home, ["NO_COLOR": ""]), "\(ProcessTests.binary.path) demo --seed 40; sleep 60")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        try tmux.keys("F3")
        try tmux.keys("g")
        let grid = try await tmux.waitFor("thumbnails") { $0.contains("Gallery") && TmuxTests.blockCells($0) >= 600 }
        #expect(grid.contains("Enter detail"))
        let thumbnails = home.appendingPathComponent("cache/darkroom/thumbnails")
        let made = (try? FileManager.default.contentsOfDirectory(atPath: thumbnails.path)) ?? []
        #expect(!made.isEmpty, "no thumbnail kept in \(thumbnails.path)")
        // The selection stays on its picture while the demo attaches more: the title names it.
        func selected(_ screen: String) -> String? { String(screen.split(separator: "\n").first ?? "").components(separatedBy: "·  #").dropFirst().first }
        let before = try #require(selected(grid))
        try tmux.keys("Right")
        let moved = try await tmux.waitFor("the next picture selected") { selected($0).map { $0 != before } ?? false }
        let id = try #require(selected(moved)?.split(separator: " ").first)
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the detail of #\(id)") { $0.contains("Detail") && $0.contains("#\(id) ") && !$0.contains("Gallery") }
    }

    /// Sixel sequences in the output, decoded.
    static func sixels(_ bytes: [UInt8]) -> [SixelPicture] { SixelPicture.all(in: bytes) }

    /// iTerm2 images in the output: the PNG of each OSC 1337 and its cell box.
    static func iterm2Images(_ bytes: [UInt8]) -> [(png: [UInt8], columns: Int, rows: Int)] {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.components(separatedBy: "\u{1B}]1337;File=").dropFirst().compactMap { part in
            guard let end = part.firstIndex(of: "\u{07}") else { return nil }
            let body = part[..<end]
            let pieces = body.split(separator: ":", maxSplits: 1)
            guard pieces.count == 2, let data = Data(base64Encoded: String(pieces[1])) else { return nil }
            var keys: [String: String] = [:]
            for kv in pieces[0].split(separator: ";") { let p = kv.split(separator: "="); if p.count == 2 { keys[String(p[0])] = String(p[1]) } }
            return ([UInt8](data), Int(keys["width"] ?? "") ?? 0, Int(keys["height"] ?? "") ?? 0)
        }
    }

    @Test("a terminal that answers as a sixel terminal gets sixel pictures, the result file scaled; help over it erases it, Esc draws it again")
    func sixelTerminal() async throws {
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = TerminalScript.sixel
        let pty = try PseudoTerminal([ProcessTests.binary.path, "demo", "--seed", "5"], environment: Self.environment(home), answer: { script($0) })
        defer { pty.stop() }
        #expect(await pty.wait { String(decoding: $0, as: UTF8.self).contains("Describe the image") })
        pty.send(Self.f3)
        #expect(await pty.wait { !Self.sixels($0).isEmpty })
        let picture = try #require(Self.sixels(pty.output).first)
        let bitmap = Bitmap(width: picture.width, height: picture.height, rgba: picture.rgba)
        let distance = try Self.distanceToResults(bitmap, files: Self.resultFiles(pid: pty.pid))
        #expect(distance < 8, "the sixel is not a result file scaled (mean error \(distance))")
        // Drawn with the cursor saved and put back, at a cell position.
        let text = String(decoding: pty.output, as: UTF8.self)
        #expect(text.range(of: "\u{1B}7\u{1B}\\[[0-9]+;[0-9]+H\u{1B}P", options: .regularExpression) != nil)
        #expect(KittyStreamReader(pty.output).uploads.isEmpty)
        // Help covers it: nothing is drawn again while it is open; Esc brings the picture back.
        let before = Self.sixels(pty.output).count
        pty.send("\u{1B}OP")   // F1
        #expect(await pty.wait { String(decoding: $0, as: UTF8.self).contains("Keys (") })
        #expect(Self.sixels(pty.output).count == before)
        pty.send("\u{1B}")
        #expect(await pty.wait { Self.sixels($0).count > before })
    }

    @Test("iTerm2 (known by TERM_PROGRAM): OSC 1337 inline images of the result file scaled, over the cells the preview keeps")
    func iterm2Terminal() async throws {
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let pty = try PseudoTerminal([ProcessTests.binary.path, "demo", "--seed", "5"],
                                     environment: Self.environment(home, ["TERM_PROGRAM": "iTerm.app", "DARKROOM_GRAPHICS_TIMEOUT": ""]))
        defer { pty.stop() }
        #expect(await pty.wait { String(decoding: $0, as: UTF8.self).contains("Describe the image") })
        pty.send(Self.f3)
        #expect(await pty.wait { !Self.iterm2Images($0).isEmpty })
        let image = try #require(Self.iterm2Images(pty.output).first)
        #expect(image.columns > 0 && image.rows > 0)
        let png = try ImageDecoder.decode(Data(image.png))
        #expect(png.width <= image.columns * 10 && png.height <= image.rows * 20)
        let distance = try Self.distanceToResults(png, files: Self.resultFiles(pid: pty.pid))
        #expect(distance < 1.0, "the image is not a result file scaled (mean error \(distance))")
    }

    @Test("a run sent from the CLI, compared in the TUI: c lays it out by prompt and model, Enter opens a task's detail",
          .enabled(if: TmuxTests.tmuxAvailable))
    func compareRun() async throws {
        var config = SimulatorConfig()
        config.speed = 8
        let sim = try await SimulatorServer.start(config: config)
        defer { Task { await sim.stop() } }
        let home = try Self.tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        var env = Self.environment(home, ["NO_COLOR": "", "DARKROOM_BASE_URL": sim.baseURL.absoluteString, "DARKROOM_API_KEY": "sk-tmux-test-0002",
                                          "XDG_STATE_HOME": home.path + "/state"])
        env["DARKROOM_GRAPHICS_TIMEOUT"] = nil
        // The run: 2 prompts × 2 models, sent by the real binary and waited for.
        let p = Process()
        p.executableURL = ProcessTests.binary
        p.arguments = ["submit", "--model", "gpt-image-2", "--model", "NanoBanana2-1K", "--size", "1024x1024",
                       "--prompt", "a {red|blue} fox", "--wait"]
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        #expect(await p.exitStatus() == 0)
        let tmux = TmuxTests.Tmux()
        defer { tmux.kill() }
        try Self.session(tmux, env: env, "\(ProcessTests.binary.path); sleep 60")
        _ = try await tmux.waitFor("the TUI") { $0.contains("Describe the image") && $0.contains("a blue fox") }
        try tmux.keys("F3")
        try tmux.keys("c")
        // The whole frame: a capture can land while the terminal is still drawing it (title first).
        let grid = try await tmux.waitFor("the grid") {
            $0.contains("Run #1  4 tasks  ·  rows: prompt  ·  columns: model")
                && $0.components(separatedBy: "│done").count + $0.components(separatedBy: "┃done").count - 2 == 4
        }
        #expect(grid.contains("a red fox") && grid.contains("NanoBanana2-1K") && grid.contains("gpt-image-2"))
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the detail") { $0.contains("Detail") && $0.contains("Request") && !$0.contains("Run #1") }
        try tmux.keys("C-c")
    }
}
