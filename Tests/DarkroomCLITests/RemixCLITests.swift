import DarkroomCLI
import DarkroomCore
import DarkroomHistory
import DarkroomPreview
import DarkroomSimulator
import Foundation
import Testing

/// A result as the next request's reference (`submit --from`), against the
/// simulator over loopback: the saved bytes are what arrives (SHA-256 checked at
/// the server), and the history records where each task came from.
@Suite("Remix from the CLI: --from, lineage")
struct RemixCLITests {
    func saved(_ h: CLIHarness, _ sim: SimulatorServer) async throws -> (path: String, sha: String) {
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--n", "2", "--prompt", "a lighthouse", "--wait"],
                            env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(await h.run(["show", "#1", "--json"], env: CLIHarness.env(sim)) == 0)
        let json = try JSONParser.parse(h.stdout)
        let second = try #require(json["results"]?.arrayValue?.last)
        let path = try #require(second["file"]?.stringValue ?? second["path"]?.stringValue)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        return (path, SHA256.hex(Array(bytes)))
    }

    @Test("submit --from #1:1 uploads the saved file's bytes (the server's SHA-256 matches), keeps the model and size, and records the parent")
    func uploadsSavedBytes() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (_, sha) = try await saved(h, sim)
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "the same, at dusk", "--wait"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(h.stderr.contains("from #1 (picture 2): "))
        let remix = try #require(await sim.core.allTasks.last)
        #expect(remix.uploads == [sha], "the bytes that arrived are the saved file's")
        #expect(remix.taskType == "image2image" && remix.model == "gpt-image-2")
        #expect(await h.run(["show", "#2", "--json"], env: CLIHarness.env(sim)) == 0)
        let child = try JSONParser.parse(h.stdout)
        let parentID = try #require(await sim.core.allTasks.first?.id)
        #expect(child["parents"] == .array([.object([("local_id", 1), ("task_id", .string(parentID)), ("picture", 1),
                                                    ("sha256", .string(sha))])]))
        #expect(child["size"]?.stringValue == "1024x1024")
        #expect(await h.run(["show", "#1", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(try JSONParser.parse(h.stdout)["children"] == .array([.object([("local_id", 2), ("picture", 1)])]))
        #expect(await h.run(["show", "#1"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.contains("Children    #2 (from picture 2)  (darkroom history --lineage 1)"))
        #expect(await h.run(["show", "#2"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.contains("From        #1 (picture 2)  sha256 \(sha)"))
    }

    @Test("history --lineage prints the family tree; rerun of a remix uploads the same bytes again and is a child too")
    func treeAndRerun() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (_, sha) = try await saved(h, sim)
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "at dusk", "--wait"], env: CLIHarness.env(sim)) == 0)
        #expect(await h.run(["submit", "--from", "#2", "--prompt", "at night", "--wait"], env: CLIHarness.env(sim)) == 0)
        #expect(await h.run(["rerun", "#2", "--wait"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(await sim.core.allTasks.last?.uploads == [sha])
        #expect(await h.run(["history", "--lineage", "#1"], env: CLIHarness.env(sim)) == 0)
        let lines = h.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(h.stdout)")
        #expect(lines[0].hasPrefix("#1  done  gpt-image-2  a lighthouse"))
        #expect(lines[1].hasPrefix("├─ #2 from picture 2  done  gpt-image-2  at dusk"))
        #expect(lines[2].hasPrefix("│  └─ #3 from picture 1  done  gpt-image-2  at night"))
        #expect(lines[3].hasPrefix("└─ #4 from picture 2  done  gpt-image-2  at dusk"))
        #expect(await h.run(["history", "--lineage", "#1", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.split(separator: "\n").count == 4)
    }

    @Test("a picture with no saved file and an expired link is a clear error, and nothing is sent; a picture that does not exist is named")
    func missingAndExpired() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (path, _) = try await saved(h, sim)
        try FileManager.default.removeItem(atPath: path)
        // The saved file is gone: its link is tried (the server fetches it) while not known expired.
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "x", "--dry-run", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.contains("\"images\"") || h.stdout.contains("\"image\""), "\(h.stdout)")
        // Known expired: refused before sending.
        // Known expired (a download tried again found the link gone): refused before sending.
        let store = try HistoryStore(path: h.home.path + "/data/darkroom/history.sqlite")
        #expect(try await store.recordDownloadFailure(localID: 1, index: 1, message: "the link has expired (403)", expired: true) == false)
        let before = await sim.core.submitCount
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "x"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("--from #1:1: picture 1 of #1 "), "\(h.stderr)")
        #expect(h.stderr.contains("and its link has expired; nothing was sent"), "\(h.stderr)")
        #expect(await sim.core.submitCount == before)
        #expect(await h.run(["submit", "--from", "#1:7", "--prompt", "x"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("#1 has no picture 7 (it has 2: 0 to 1)"))
        #expect(await h.run(["submit", "--from", "#99", "--prompt", "x"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("no task #99 in history"))
    }
}

extension RemixCLITests {
    @Test("a saved picture over the 20 MiB upload limit is re-encoded (said on stderr), not refused; the server gets the re-encoded bytes")
    func overLimitReencoded() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (path, _) = try await saved(h, sim)
        // Noise does not compress: 3,000 x 3,000 pixels are 27 MB as a PNG.
        var rng = SeededRandom(seed: 42)
        let rgb = (0..<(3000 * 3000 * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let big = try #require(ImageEncoder.png(width: 3000, height: 3000, rgb: rgb))
        #expect(big.count > RequestValidator.maxReferenceBytes)
        try Data(big).write(to: URL(fileURLWithPath: path))
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "smaller", "--wait"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(h.stderr.contains("over the 20 MiB upload limit: re-encoded as JPEG (quality 90"), "\(h.stderr)")
        let line = try #require(h.stderr.split(separator: "\n").first { $0.contains("re-encoded") }.map(String.init))
        let marker = try #require(line.range(of: "is sent ("))
        let sent = String(line[marker.upperBound...].dropLast())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sent))
        #expect(bytes.count <= RequestValidator.maxReferenceBytes)
        #expect(await sim.core.allTasks.last?.uploads == [SHA256.hex(Array(bytes))])
    }
}

extension RemixCLITests {
    @Test("the simulator's image2image result visibly comes from its reference: inside its frame it follows the parent's picture")
    func resultComesFromTheReference() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (path, _) = try await saved(h, sim)
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "a different prompt entirely", "--wait"], env: CLIHarness.env(sim)) == 0)
        #expect(await h.run(["show", "#2", "--json"], env: CLIHarness.env(sim)) == 0)
        let childPath = try #require(try JSONParser.parse(h.stdout)["results"]?.arrayValue?.first?["path"]?.stringValue)
        let parent = try ImageDecoder.decode(file: path), child = try ImageDecoder.decode(file: childPath)
        #expect(parent.width == child.width && parent.height == child.height)
        func luma(_ b: Bitmap, _ x: Int, _ y: Int) -> Double {
            let i = (y * b.width + x) * 4
            return 0.3 * Double(b.rgba[i]) + 0.59 * Double(b.rgba[i + 1]) + 0.11 * Double(b.rgba[i + 2])
        }
        var a: [Double] = [], c: [Double] = []
        for y in stride(from: child.height / 8, to: child.height * 7 / 8, by: 3) {
            for x in stride(from: child.width / 8, to: child.width * 7 / 8, by: 3) { a.append(luma(parent, x, y)); c.append(luma(child, x, y)) }
        }
        func correlation(_ x: [Double], _ y: [Double]) -> Double {
            let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
            let cov = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
            let vx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }, vy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) }
            return cov / (vx * vy).squareRoot()
        }
        #expect(correlation(a, c) > 0.9, "the remix follows its reference")
        let unrelated = try ImageDecoder.decode(Data(ScenePainter.encoded(prompt: "a different prompt entirely", variant: 0, aspect: 1, format: .png)))
        var u: [Double] = []
        for y in stride(from: child.height / 8, to: child.height * 7 / 8, by: 3) {
            for x in stride(from: child.width / 8, to: child.width * 7 / 8, by: 3) { u.append(luma(unrelated, x, y)) }
        }
        #expect(correlation(a, u) < correlation(a, c), "a scene of its own would not")
    }
}

extension RemixCLITests {
    @Test("a remix is a request like any other: alternatives make a run, and every request of it records the parent")
    func remixRun() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (_, sha) = try await saved(h, sim)
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "a {red|blue} sky", "--yes", "--wait"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        let tasks = await sim.core.allTasks
        #expect(tasks.suffix(2).map(\.uploads) == [[sha], [sha]])
        #expect(await h.run(["show", "#1", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(try JSONParser.parse(h.stdout)["children"]?.arrayValue?.count == 2)
    }
}

extension RemixCLITests {
    // Found by a user: a rerun of a remix whose saved file had changed recorded the old hash.
    @Test("the hash recorded is the hash of the bytes sent, at every send (a rerun after the file changed); --dry-run --json is JSON; a bad picture number is named")
    func hashAtEverySend() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (path, _) = try await saved(h, sim)
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "at dusk", "--wait"], env: CLIHarness.env(sim)) == 0)
        let red = try #require(ImageEncoder.png(width: 8, height: 8, rgb: [UInt8](repeating: 200, count: 192)))
        try Data(red).write(to: URL(fileURLWithPath: path))
        #expect(await h.run(["rerun", "#2", "--wait"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(await sim.core.allTasks.last?.uploads == [SHA256.hex(red)])
        #expect(await h.run(["show", "#3", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(try JSONParser.parse(h.stdout)["parents"]?.arrayValue?.first?["sha256"]?.stringValue == SHA256.hex(red))
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "x", "--dry-run", "--json"], env: CLIHarness.env(sim)) == 0)
        let body = try JSONParser.parse(h.stdout)
        #expect(body["content_type"]?.stringValue == "multipart/form-data" && body["files"]?.arrayValue?.first?["path"]?.stringValue == path)
        #expect(await h.run(["submit", "--from", "#1:x", "--prompt", "x"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("after the colon comes the picture's number, from 0"))
    }
}
