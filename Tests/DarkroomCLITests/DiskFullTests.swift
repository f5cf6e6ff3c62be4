import DarkroomCore
import Foundation
import Testing

/// A nearly full disk under the data folder: downloads and history writes
/// fail, and nothing waits for ever. Needs a small tmpfs (root may mount one,
/// as CI and the development machines run); skipped where mounting is refused.
@Suite("A nearly full disk", .serialized)
struct DiskFullTests {
    /// A tmpfs of `kib` KiB, or nil where one cannot be mounted.
    final class SmallDisk {
        let url: URL
        init?(kib: Int) {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-small-\(UUID().uuidString.prefix(8))")
            try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/mount")
            p.arguments = ["-t", "tmpfs", "-o", "size=\(kib)k", "tmpfs", url.path]
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { try? FileManager.default.removeItem(at: url); return nil }
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { try? FileManager.default.removeItem(at: url); return nil }
        }
        deinit {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/umount")
            p.arguments = ["-l", url.path]
            try? p.run()
            p.waitUntilExit()
            try? FileManager.default.removeItem(at: url)
        }
        /// Fills the disk until `leave` bytes are free.
        func fill(leaving leave: Int) throws {
            var st = statvfs()
            guard statvfs(url.path, &st) == 0 else { return }
            let free = Int(st.f_bavail) * Int(st.f_frsize)
            guard free > leave else { return }
            try Data(count: free - leave).write(to: url.appendingPathComponent("filler"))
        }
        func free() { try? FileManager.default.removeItem(at: url.appendingPathComponent("filler")) }
    }

    /// Whether a tmpfs can be mounted here (tried once: a container may refuse it even to root).
    static let canMount: Bool = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount") && SmallDisk(kib: 64) != nil

    @Test("submit --wait of 8 pictures on a nearly full disk ends (exit 2: pictures not saved, or 74: the history), leaves no part file; once space is freed, what the message says saves them all",
          .enabled(if: canMount), arguments: [150, 450])
    func nearlyFull(freeKiB: Int) async throws {
        let disk = try #require(SmallDisk(kib: 2048), "a tmpfs could be mounted a moment ago")
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.imageLongSide = 384 }
        defer { Task { await sim.stop() } }
        var env = CLIHarness.env(sim)
        env["XDG_DATA_HOME"] = disk.url.path
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "first", "--wait"], env: env) == 0, "\(h.stderr)")
        try disk.fill(leaving: freeKiB * 1024)
        let status = await h.run(["submit", "--model", "NanoBanana", "--prompt", "eight", "--n", "8", "--wait"], env: env, within: 60)
        #expect(status == 2 || status == 74, "it must end: \(String(describing: status))\n\(h.stderr)")
        guard let status else { return }
        #expect(h.stderr.contains(status == 74 ? "could not be written" : "not saved"), "\(h.stderr)")
        let results = disk.url.appendingPathComponent("darkroom/results")
        let all = (FileManager.default.enumerator(atPath: results.path)?.allObjects as? [String]) ?? []
        #expect(!all.contains { $0.contains(".part") }, "no part file left: \(all)")
        disk.free()
        // Exit 74 says: watch takes up where it stopped; exit 2: download fetches what was not saved.
        let again = await h.run(status == 74 ? ["watch"] : ["download", "#2"], env: env, within: 60)
        #expect(again == 0, "\(String(describing: again))\n\(h.stderr)")
        #expect(await h.run(["show", "#2", "--json"], env: env) == 0)
        let saved = (try? JSONParser.parse(h.stdout))?["results"]?.arrayValue?.filter { $0["state"] == "saved" }.count
        #expect(saved == 8, "\(h.stdout)")
    }
}
