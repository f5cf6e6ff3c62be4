import Foundation

/// A second process (python3's sqlite3) that holds a SQLite file's write lock
/// (`BEGIN EXCLUSIVE`) until `release()`, as another darkroom, a backup tool or
/// `sqlite3` in another shell would.
public final class LockHolder: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    /// Returns once the lock is held.
    public init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
            c.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.read()
            c.execute("COMMIT")
            """, path]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while !seen.contains("locked") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw LockError(description: "python3 could not lock \(path)") }
            seen += String(decoding: data, as: UTF8.self)
        }
    }

    /// Commits and ends the process; the lock is free when this returns.
    public func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { if process.isRunning { process.terminate() } }

    public struct LockError: Error, CustomStringConvertible {
        public let description: String
    }
}
