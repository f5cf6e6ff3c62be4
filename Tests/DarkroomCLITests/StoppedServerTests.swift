import Clocks
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomTestSupport
import Foundation
import Testing

/// `darkroom simulator` in a child process, so a test can stop it (SIGSTOP) or
/// kill it while a client holds connections to it.
final class SimulatorProcess: @unchecked Sendable {
    let process = Process()
    let output = Pipe()
    let baseURL: URL
    let port: Int

    init(_ extra: [String] = []) throws {
        process.executableURL = ProcessTests.binary
        process.arguments = ["simulator"] + extra
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Its first line names the address: "darkroom simulator listening on http://127.0.0.1:PORT".
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("\n") {
            let data = handle.availableData
            guard !data.isEmpty else { throw ProcessTests.TimedOut(what: "the simulator's first line") }
            text += String(decoding: data, as: UTF8.self)
        }
        let first = text.split(separator: "\n")[0]
        guard let s = first.split(separator: " ").last, let url = URL(string: String(s)), let port = url.port else {
            throw ProcessTests.TimedOut(what: "an address in \(first)")
        }
        baseURL = url
        self.port = port
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    func killAndWait() {
        signal(SIGKILL)
        process.waitUntilExit()
    }

    /// Bytes waiting unread in the simulator's established sockets (from /proc/net/tcp):
    /// more than zero once a request reached a server that no longer reads.
    func unreadBytes() -> Int {
        // Read to the end: /proc files report no size, and a one-shot read stops at the first page.
        guard let handle = FileHandle(forReadingAtPath: "/proc/net/tcp") else { return 0 }
        defer { try? handle.close() }
        let table = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var total = 0
        for line in table.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 4, f[3] == "01" else { continue }
            let local = f[1].split(separator: ":")
            guard local.count == 2, Int(local[1], radix: 16) == port else { continue }
            let queues = f[4].split(separator: ":")
            if queues.count == 2, let rx = Int(queues[1], radix: 16) { total += rx }
        }
        return total
    }
}

@Suite("A server stopped mid-exchange", .serialized)
struct StoppedServerTests {
    @Test("a submit written to a server that is stopped, then dies, is 'submission unknown', never refused")
    func stoppedThenKilled() async throws {
        let server = try SimulatorProcess()
        defer { server.killAndWait() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-stopped-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("history.sqlite").path)
        // The TUI's set-up: one long-lived client for every submit and poll. A submit
        // always goes on a connection of its own (never a kept-alive one, where curl
        // could send it again); with nothing else to ask, the bytes that reach the
        // stopped server are the submit's.
        let client = DarkroomClient(baseURL: server.baseURL, apiKey: APIKey("sk-stopped-test-001")!)
        let studio = Studio(store: store, profile: "t", client: client, clock: ContinuousClock(), downloader: nil)
        defer { Task { await studio.shutdown() } }
        try await studio.start()

        server.signal(SIGSTOP)
        let second = Task { try await studio.submit(ImageRequest(model: "gpt-image-2", prompt: "sent to a stopped server", size: "1024x1024")) }
        let deadline = Date().addingTimeInterval(20)
        while server.unreadBytes() == 0 {
            guard Date() < deadline else { throw ProcessTests.TimedOut(what: "the submit reaching the stopped server") }
            try await Task.sleep(for: .milliseconds(20))
        }
        server.killAndWait()
        // Dead: its port refuses, and no other test's server may take it.
        let gone = try RefusedPort(port: UInt16(server.port))
        defer { withExtendedLifetime(gone) {} }

        do {
            let r = try await second.value
            Issue.record("a dead server accepted the submit: \(r.state)")
        } catch let StudioError.submitFailed(record, error) {
            #expect(record?.state == .submitUnknown, "was \(String(describing: record?.state)): \(error)")
            #expect(error.description.contains("may still have been created"))
        }
    }
}
