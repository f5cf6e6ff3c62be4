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

    public static let standard = Console(writeOut: writer(fd: 1), writeErr: writer(fd: 2), stderrIsTTY: isatty(2) == 1)

    /// Writes to a file descriptor with `DescriptorOutput.writeAll`: never a trap
    /// when the terminal or pipe is gone (`FileHandle.write(_:)` trapped on EIO,
    /// which killed the demo when its window was closed, before it removed its folder).
    public static func writer(fd: Int32) -> @Sendable (String) -> Void {
        { DescriptorOutput.writeAll($0, to: fd) }
    }

    public func out(_ line: String) { writeOut(line + "\n") }
    public func err(_ line: String) { writeErr(line + "\n") }
    /// An error line: `error: ...`, sanitized.
    public func error(_ message: String) { err("error: " + TerminalSanitizer.clean(message, keepNewlines: true)) }
    public func warning(_ message: String) { err("warning: " + TerminalSanitizer.clean(message, keepNewlines: true)) }
}

/// The CLI's exit codes, documented in `darkroom --help` and the README.
/// Scripts can tell apart what happened to the task from what happened here.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done: the command did what was asked (a waited-for task succeeded and every result is saved).
    case ok = 0
    /// A task ended failed (or lost, or expired: unfinished after 24 h).
    case taskFailed = 1
    /// Every task succeeded, but not every result could be saved (link expired or
    /// refused, not an image, too large, stalled, disk full): `darkroom download ID` tries again.
    case resultsNotSaved = 2
    /// Invalid input or configuration; nothing was sent.
    case invalidInput = 64
    /// The server refused the request (4xx, or the account may not use the model) or
    /// could not be reached at all: no task was created.
    case unavailable = 69
    /// `recall`: the file is a picture, but holds no darkroom story (what it holds
    /// instead is said: another tool's text, or nothing), and the history has no
    /// picture with its bytes.
    case noStory = 65
    /// `recall`: the file cannot be read, is not a PNG, JPEG or WebP, is damaged or too large.
    case unreadable = 66
    /// The history or a folder could not be created or opened (the message names the
    /// path); nothing was sent.
    case cannotCreate = 73
    /// Reading or writing the history or a file failed (the message names the path).
    /// After a submit the server accepted, the task id is still printed.
    case ioError = 74
    /// The submit may or may not have created a task (no answer in time, a broken
    /// connection, a 5xx): it was not resent. See the task on the vendor's dashboard,
    /// or `darkroom rerun ID` to submit it again on purpose.
    case submissionUnknown = 75
    /// The key may not do this: its quota (or the account's) is used up, the model is
    /// outside its model limits, or it has expired or been disabled. Nothing was created;
    /// the message says what to do (top up, another model, another key).
    case keyRefused = 77

    /// One line per code, for `--help` and the README.
    public static var table: String {
        """
        0 done; 1 a task ended failed, lost or expired; 2 every task succeeded but not every \
        result was saved (`darkroom download ID` tries again); 64 invalid input or configuration \
        (nothing sent); 65 (recall) the picture holds no darkroom story; 66 (recall) the file cannot be \
        read as a picture; 69 the server refused the request or could not be reached (no task \
        created); 73 the history or a folder could not be created or opened; 74 reading or \
        writing the history or a file failed (a task the server accepted is still printed); \
        75 the submit may or may not have created a task (not resent); 77 the key may not do this: \
        quota used up, model not allowed for the key, key expired or disabled (no task created).
        """
    }
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
