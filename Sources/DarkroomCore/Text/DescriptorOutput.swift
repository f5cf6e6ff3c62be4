import Foundation

/// Whole strings written to a file descriptor with write(2), for the CLI's
/// stdout/stderr and the terminal.
public enum DescriptorOutput {
    /// Writes all of `text`, in as many writes as it takes (a picture's upload is
    /// far more than one write to a terminal takes), waiting out EINTR and EAGAIN.
    /// Never fails loudly: a terminal that is gone (EIO after a hangup), a closed
    /// pipe (EPIPE, with SIGPIPE ignored) or a full disk leave nowhere to report
    /// to, so the rest of the text is dropped. (`FileHandle.write(_:)` traps on
    /// such an error.)
    public static func writeAll(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n; continue }
            guard n < 0, errno == EINTR || errno == EAGAIN else { return }
            if errno == EAGAIN { var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0); _ = poll(&p, 1, 100) }
        }
    }
}
