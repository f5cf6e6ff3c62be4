import DarkroomTestSupport
import Foundation
import Testing
@testable import DarkroomCLI

/// The demo's temporary data folder. Seen in the full suite: a demo killed
/// before it removed `darkroom-demo-PID` handed its 201 tasks to a later demo
/// with the same process id, whose new task was then #1562, not #1.
@Suite("The demo's data folder")
struct DemoFolderTests {
    @Test("each demo gets a new, empty folder of its own, readable by the user only, whatever an earlier one left behind")
    func freshFolder() throws {
        let folder = TempDir()
        let parent = folder.url
        // What a killed demo of this process id would have left under the old name.
        let stale = parent.appendingPathComponent("darkroom-demo-\(getpid())")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        try Data("old history".utf8).write(to: stale.appendingPathComponent("history.sqlite"))

        let first = try DemoCommand.makeDataFolder(in: parent)
        let second = try DemoCommand.makeDataFolder(in: parent)
        #expect(first != second)
        for folder in [first, second] {
            #expect(folder.standardizedFileURL != stale.standardizedFileURL)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
            let mode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
            #expect(mode == 0o700)
        }
    }

    @Test("a folder that cannot be made is a message naming where, not a crash")
    func cannotCreate() {
        let nowhere = URL(fileURLWithPath: "/proc/darkroom-no-such-place")
        do {
            _ = try DemoCommand.makeDataFolder(in: nowhere)
            Issue.record("a folder was made under /proc")
        } catch let e as CLIFailure {
            #expect(e.status == .cannotCreate)
            #expect(e.message.hasPrefix("cannot create the demo's temporary folder in /proc/darkroom-no-such-place: "))
        } catch {
            Issue.record("got \(error)")
        }
    }

    @Test("folders of demos killed outright are removed at the next start; a running demo's folder and anything else are kept")
    func leftovers() throws {
        let folder = TempDir()
        let parent = folder.url
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let dead = ended.processIdentifier
        func make(_ name: String, directory: Bool = true) throws {
            let url = parent.appendingPathComponent(name)
            if directory {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                try Data("history".utf8).write(to: url.appendingPathComponent("history.sqlite"))
            } else {
                try Data("a file".utf8).write(to: url)
            }
        }
        try make("darkroom-demo-\(dead)-Ab3dEf")                  // killed: removed
        try make("darkroom-demo-\(dead)")                         // an older version's, killed: removed
        try make("darkroom-demo-\(getpid())-Gh5jKl")              // still running: kept
        try make("darkroom-demo-notes")                           // not a demo's: kept
        try make("darkroom-demo-\(dead)-Zz9zZz", directory: false) // a file: kept
        DemoCommand.removeLeftovers(in: parent)
        let left = try FileManager.default.contentsOfDirectory(atPath: parent.path).sorted()
        #expect(left == ["darkroom-demo-\(dead)-Zz9zZz", "darkroom-demo-\(getpid())-Gh5jKl", "darkroom-demo-notes"].sorted())
    }
}
