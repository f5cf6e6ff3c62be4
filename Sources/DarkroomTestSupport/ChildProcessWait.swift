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
        await onOwnThread { $0.waitUntilExit(); return $0.terminationStatus }
    }

    /// Reads `pipe` to its end (everything the child wrote to it), then waits
    /// until the process ends; returns both.
    public func outputAndExitStatus(_ pipe: Pipe) async -> (output: Data, status: Int32) {
        let reader = pipe.fileHandleForReading
        return await onOwnThread { p in
            let data = reader.readDataToEndOfFile()
            p.waitUntilExit()
            return (data, p.terminationStatus)
        }
    }

    /// Runs `body` with this process on a new thread and returns what it gives.
    /// Only that thread touches the process until the continuation resumes.
    private func onOwnThread<T: Sendable>(_ body: @escaping @Sendable (Process) -> T) async -> T {
        let process = UncheckedProcess(process: self)
        return await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            Thread.detachNewThread { c.resume(returning: body(process.process)) }
        }
    }
}

private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
}
