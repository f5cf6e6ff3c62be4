import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomTUI

/// The TUI's runs: recorded whole in history, then sent through the Studio's
/// submit queue off the terminal thread; what became of them comes back as
/// notices and, at the end, `.runEnded`.
extension StudioHolder {
    /// Records the run and its requests (as waiting to send), then sends them.
    func sendRun(_ plan: RunPlan) async {
        let studio = self.studio
        let ids: [Int64]
        let run: Int64
        do {
            run = try await store.createRun(expression: plan.expression, axes: plan.axes.map { ($0.name, $0.values) },
                                            size: plan.requests.count)
            ids = try await studio.queue(plan.requests, run: run)
        } catch {
            inbox.post(.runEnded("Not sent: \(describe(error))", isError: true, task: nil))
            return
        }
        if let first = ids.first {
            inbox.post(.runQueued(run: run, first: first, count: ids.count, limit: studio.submitQueue.limit))
        }
        let outcomes = await studio.send(waiting: ids)
        let (text, isError) = Self.summary(outcomes, run: run)
        inbox.post(.runEnded(text, isError: isError, task: ids.first))
    }

    /// `p` and `X` on a run: decided against history (the list may not show every request).
    /// `X` holds the run while it asks (`.hold`), then `.release` or `.cancel` ends the hold.
    func unsent(run: Int64, _ action: UnsentAction) async {
        let studio = self.studio
        do {
            switch action {
            case .hold:
                inbox.post(.runHeld(run: run, unsent: await studio.hold(run: run)))
                return
            case .release:
                await studio.release(run: run)
                return
            default: break
            }
            let unsent = try await store.unsent(run: run)
            switch action {
            case .hold, .release: return
            case .cancel:
                let moved: [Int64]
                do { moved = try await studio.cancel(unsent.map(\.localID)) } catch {
                    await studio.release(run: run)
                    throw error
                }
                // Its senders find them cancelled and end.
                await studio.release(run: run)
                inbox.post(.notice("Run #\(run): \(moved.count) request\(moved.count == 1 ? "" : "s") cancelled; nothing of them was sent", isError: false, task: nil))
            case .pauseOrResume:
                let waiting = unsent.filter { $0.state == .waiting }.map(\.localID)
                if !waiting.isEmpty {
                    let moved = try await studio.pause(waiting, reason: "paused by the user before it was sent")
                    inbox.post(.notice("Run #\(run): \(moved.count) request\(moved.count == 1 ? "" : "s") paused (p sends them, X cancels them)", isError: false, task: nil))
                    return
                }
                let paused = unsent.filter { $0.state == .paused }.map(\.localID)
                inbox.post(.notice("Run #\(run): sending \(paused.count) paused request\(paused.count == 1 ? "" : "s")", isError: false, task: nil))
                let (text, isError) = Self.summary(try await studio.resume(paused), run: run)
                inbox.post(.notice(text, isError: isError, task: nil))
            }
        } catch {
            inbox.post(.notice("Run #\(run): \(describe(error))", isError: true, task: nil))
        }
    }

    /// "Run #3: 12 sent" or "Run #3: 2 sent, 1 not accepted (…), 4 cancelled, 9 held: p sends them".
    /// Requests cancelled are said as cancelled, never as held.
    static func summary(_ outcomes: [RunOutcome], run: Int64) -> (String, Bool) {
        var sent = 0, held = 0, cancelled = 0, elsewhere = 0
        var failures: [String] = []
        for o in outcomes {
            switch o {
            case .sent: sent += 1
            case let .failed(e): failures.append(e.description)
            case .notSent(_, .cancelled): cancelled += 1
            case .notSent(_, .waiting), .notSent(_, .paused): held += 1
            case .notSent: elsewhere += 1
            }
        }
        var parts = ["\(sent) sent"]
        if let first = failures.first { parts.append("\(failures.count) not accepted (\(first))") }
        // Out of money: the run waits for a top-up, and says so.
        for o in outcomes {
            guard case let .failed(.submitFailed(_, .api(e))) = o,
                  let words = BudgetCheck.quotaStop(e, balance: nil, next: held > 0 ? "top up, then p on the run sends the rest" : "top up, then send again")
            else { continue }
            parts.append(words)
            break
        }
        if cancelled > 0 { parts.append("\(cancelled) cancelled") }
        if elsewhere > 0 { parts.append("\(elsewhere) sent by another darkroom") }
        if held > 0 { parts.append("\(held) not sent, held: p sends them, X cancels them") }
        return ("Run #\(run): " + parts.joined(separator: ", "), !failures.isEmpty)
    }

    private func describe(_ error: any Error) -> String {
        (error as? StudioError)?.description ?? HistoryStore.describe(error)
    }
}
