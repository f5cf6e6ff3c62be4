import DarkroomCore
import Foundation

/// Where the CLI writes: results to stdout, everything else (progress, warnings,
/// errors) to stderr, so `--json` output stays clean for scripts.
public struct Console: Sendable {
    public var writeOut: @Sendable (String) -> Void
    public var writeErr: @Sendable (String) -> Void
    /// True when stderr is a terminal: progress is then a live line.
    public var stderrIsTTY: Bool

    public init(writeOut: @escaping @Sendable (String) -> Void, writeErr: @escaping @Sendable (String) -> Void, stderrIsTTY: Bool) {
        self.writeOut = writeOut
        self.writeErr = writeErr
        self.stderrIsTTY = stderrIsTTY
    }

    public static let standard = Console(
        writeOut: { s in FileHandle.standardOutput.write(Data(s.utf8)) },
        writeErr: { s in FileHandle.standardError.write(Data(s.utf8)) },
        stderrIsTTY: isatty(2) == 1)

    public func out(_ line: String) { writeOut(line + "\n") }
    public func err(_ line: String) { writeErr(line + "\n") }
    /// An error line: `error: ...`, sanitized.
    public func error(_ message: String) { err("error: " + TerminalSanitizer.clean(message, keepNewlines: true)) }
    public func warning(_ message: String) { err("warning: " + TerminalSanitizer.clean(message, keepNewlines: true)) }
}

/// The CLI's exit codes, documented in `--help` and the README.
public enum ExitStatus: Int32, Sendable {
    /// Done: the command did what was asked (a waited-for task succeeded).
    case ok = 0
    /// The task ended failed.
    case taskFailed = 1
    /// Invalid input or configuration; nothing was sent.
    case invalidInput = 64
    /// The server could not be reached, or refused the request.
    case unavailable = 69
}

/// An error that ends the command with a message and an exit status.
public struct CLIFailure: Error, Sendable {
    public let status: ExitStatus
    public let message: String
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}
