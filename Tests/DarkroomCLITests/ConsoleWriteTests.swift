import Foundation
import Synchronization
import Testing
@testable import DarkroomCLI

/// Writing where nobody reads any more: a closed terminal, a closed pipe.
@Suite("Console writes")
struct ConsoleWriteTests {
    @Test("a pipe whose reader is gone (EPIPE) or a closed descriptor drops the text; it never traps")
    func nowhereToWrite() throws {
        signal(SIGPIPE, SIG_IGN)        // as the TUI runs
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        Console.writer(fd: fds[1])("darkroom demo ended; its temporary data folder was removed\n")
        #expect(errno == EPIPE)
        close(fds[1])
        Console.writer(fd: fds[1])("to a closed descriptor\n")
        #expect(errno == EBADF)
    }

    @Test("text larger than a pipe holds arrives whole, in order")
    func whole() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let readFD = fds[0]
        let text = String(repeating: "0123456789abcdef", count: 40_000)      // 640 KB, ten times a pipe's buffer
        let received = Mutex<[UInt8]>([])
        let finished = DispatchSemaphore(value: 0)
        Thread {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(readFD, &chunk, chunk.count)
                if n <= 0 { break }
                received.withLock { $0 += chunk[0..<n] }
            }
            close(readFD)
            finished.signal()
        }.start()
        Console.writer(fd: fds[1])(text)
        close(fds[1])
        finished.wait()
        #expect(received.withLock { $0 } == Array(text.utf8))
    }
}
