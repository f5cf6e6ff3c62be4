import Foundation

/// One process at a time migrates a history: an exclusive `flock` on a file
/// beside it (`history.sqlite-lock`), taken only when a migration is due.
///
/// The lock file is created once and left in place (removing it would let two
/// processes lock two different files of one name). The lock goes with the
/// process: a darkroom killed while migrating frees it, and SQLite has rolled
/// back the migration it was in. Not SQLite's own file: closing any descriptor
/// of a database file drops the process's SQLite locks on it.
struct MigrationLock {
    struct Timeout: Error, CustomStringConvertible {
        let path: String
        let seconds: TimeInterval
        var description: String {
            let waited = seconds >= 1 ? "\(Int(seconds)) s" : "\(Int((seconds * 1000).rounded())) ms"
            return "another darkroom process has been upgrading the history for \(waited) (it holds \(path)); try again when it is done"
        }
    }

    struct CannotCreate: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot create \(path), needed to upgrade the history: \(reason.lowercased())" }
    }

    private let fd: Int32

    /// Waits up to `timeout` for the lock, checking every 10 ms. It blocks its
    /// thread meanwhile: only a first open after an install or an upgrade can
    /// wait here, and only while another process migrates.
    init(path: String, timeout: TimeInterval) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CannotCreate(path: path, reason: String(cString: strerror(errno))) }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw Timeout(path: path, seconds: timeout)
            }
            usleep(10_000)
        }
        self.fd = fd
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
