import Foundation

/// Waiting for a child process without holding a thread of Swift's task pool.
///
/// The pool has as many threads as the machine has cores (two here). A test
/// that calls `waitUntilExit()` or `readDataToEndOfFile()` from async code holds
/// one of them until the child ends; when the child talks to a server running
/// in the test process (the simulator), two such tests at once leave that server
/// no thread to answer on, and each child waits out its 60 s time limit
/// ("submission unknown", exit 75), while every other test's deadlines pass
/// unserved. These helpers wait on a thread of their own instead.
extension Process {
    /// Waits until the process ends and returns its exit status.
    public func exitStatus() async -> Int32 {
        let process = UncheckedProcess(process: self)
        return await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
            Thread.detachNewThread {
                process.process.waitUntilExit()
                c.resume(returning: process.process.terminationStatus)
            }
        }
    }

    /// Reads `pipe` to its end (everything the child wrote to it), then waits
    /// until the process ends; returns both.
    public func outputAndExitStatus(_ pipe: Pipe) async -> (output: Data, status: Int32) {
        let process = UncheckedProcess(process: self)
        let handle = pipe.fileHandleForReading
        let reader = handle
        return await withCheckedContinuation { (c: CheckedContinuation<(output: Data, status: Int32), Never>) in
            Thread.detachNewThread {
                let data = reader.readDataToEndOfFile()
                process.process.waitUntilExit()
                c.resume(returning: (data, process.process.terminationStatus))
            }
        }
    }
}

/// A `Process` handed to the waiting thread; only that thread touches it until
/// the continuation resumes.
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
}
