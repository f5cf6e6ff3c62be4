import DarkroomCore
import Foundation

/// Polls one task until it finishes, on the page's schedule (2 s, growing x1.5
/// to 5 s, jittered, never faster than 2 s), reporting progress on stderr: a live
/// line on a terminal, a plain line per change otherwise.
struct TaskWaiter {
    let client: DarkroomClient
    let ctx: CLIContext
    /// Consecutive failed queries tolerated (after the client's own retries) before giving up.
    var maxConsecutiveFailures = 8

    func wait(for initial: ImageTask, quiet: Bool = false) async throws(CLIFailure) -> ImageTask {
        var task = initial
        var poll = 1
        var failures = 0
        let started = ctx.now()
        var lastLine = ""
        report(task, started: started, last: &lastLine, quiet: quiet)
        while !task.status.isFinished {
            let delay = failures == 0
                ? PollSchedule.delay(beforePoll: poll, random: Double.random(in: 0..<1))
                : max(PollSchedule.floor, RetryPolicy(baseDelay: .seconds(2), maxDelay: .seconds(60)).backoff(attempt: failures, random: Double.random(in: 0..<1)))
            do { try await ctx.sleep(delay) } catch {
                endLine(quiet: quiet, lastLine: lastLine)
                throw CLIFailure(.unavailable, "stopped waiting; the task \(task.id) goes on: `darkroom status \(task.id)`")
            }
            poll += 1
            do {
                task = try await client.task(id: task.id)
                failures = 0
            } catch let ClientError.api(e) {
                switch e {
                case .unauthorized, .forbidden, .taskNotFound, .badRequest:
                    endLine(quiet: quiet, lastLine: lastLine)
                    throw CLIFailure(.unavailable, "while waiting for \(task.id): \(e.description)")
                default:
                    failures += 1
                    if failures >= maxConsecutiveFailures {
                        endLine(quiet: quiet, lastLine: lastLine)
                        throw CLIFailure(.unavailable, "gave up waiting for \(task.id) after \(failures) failed queries: \(e.description). The task may still finish: `darkroom status \(task.id)`")
                    }
                    if !quiet {
                        endLine(quiet: quiet, lastLine: lastLine)
                        lastLine = ""
                        ctx.console.warning("query failed, will retry: \(e.description)")
                    }
                    continue
                }
            } catch {
                endLine(quiet: quiet, lastLine: lastLine)
                throw CLIFailure(.unavailable, "while waiting for \(task.id): \(error)")
            }
            report(task, started: started, last: &lastLine, quiet: quiet)
        }
        endLine(quiet: quiet, lastLine: lastLine)
        return task
    }

    private func report(_ t: ImageTask, started: Date, last: inout String, quiet: Bool) {
        guard !quiet else { return }
        let secs = Int(ctx.now().timeIntervalSince(started))
        let line = ProgressLine.text(t, elapsedSeconds: secs)
        if ctx.console.stderrIsTTY {
            ctx.console.writeErr("\r\u{1B}[2K" + line)
        } else if ProgressLine.text(t, elapsedSeconds: nil) != last {
            ctx.console.err(line)
        }
        last = ctx.console.stderrIsTTY ? line : ProgressLine.text(t, elapsedSeconds: nil)
    }

    private func endLine(quiet: Bool, lastLine: String) {
        if !quiet, ctx.console.stderrIsTTY, !lastLine.isEmpty { ctx.console.writeErr("\n") }
    }
}

/// One line describing a task's progress: `task_x  processing  [#####.....]  45%  12s`.
enum ProgressLine {
    static func text(_ t: ImageTask, elapsedSeconds: Int?) -> String {
        var parts = [t.id, t.status.name]
        if let p = t.progress, !t.status.isFinished || t.status == .succeeded {
            let filled = p / 10
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 10 - filled) + "] \(p)%")
        }
        if let s = elapsedSeconds { parts.append("\(s)s") }
        if t.status == .failed, let e = t.errorMessage { parts.append(e) }
        return parts.joined(separator: "  ")
    }
}
