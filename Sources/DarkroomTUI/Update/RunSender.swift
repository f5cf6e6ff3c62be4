import DarkroomCore

/// Ctrl-S on a composer that makes several requests: every request checked by
/// the core first (none is sent while one is invalid), more than four asked
/// about once, then sent as one run through the Studio's submit queue.
enum RunSender {

    static func send(_ s: inout AppState, _ planned: Result<RunPlan, RunPlanFailure>) -> [Effect] {
        let plan: RunPlan
        switch planned {
        case let .failure(f):
            s.focus = .compose
            s.composer.field = .prompt
            s.say("Not sent: " + f.message, error: true)
            return []
        case let .success(p): plan = p
        }
        // The list of requests shows in the composer (where the JSON goes), each with its problems.
        s.showJSON = true
        if let i = plan.problems.firstIndex(where: { !$0.isEmpty }) {
            let bad = plan.problems.filter { !$0.isEmpty }.count
            s.say("Not sent: \(bad) of \(plan.requests.count) requests are not valid; request \(i + 1) (\(plan.requests[i].label)): "
                  + plan.problems[i].map(\.message).joined(separator: "; "), error: true)
            return []
        }
        // The same run again within seconds is asked about, as one request is.
        let again = s.lastRun.map { last in
            last.requests.count == plan.requests.count && zip(last.requests, plan.requests).allSatisfy(Submit.same)
                && s.clock.timeIntervalSince(last.at) < AppState.resendWindow
        } ?? false
        // Over budget: one question, with the numbers (it names the run, so it is the only one).
        if let why = BudgetCheck.problem(cost: plan.costAmount, budget: s.budget, balance: s.gateway.balance) {
            return Submit.ask(&s, .runOverBudget(plan, why: why))
        }
        if plan.requests.count > RequestMatrix.confirmAbove || again { return Submit.ask(&s, .run(plan, again: again)) }
        return go(&s, plan)
    }

    /// Sends a run the user has confirmed (or that needed no question).
    static func go(_ s: inout AppState, _ plan: RunPlan) -> [Effect] {
        s.submitting += 1
        s.lastRun = SentRun(requests: plan.requests, at: s.clock)
        PromptHistory.submitted(&s, s.composer.editor.text)
        s.say("Sending a run of \(plan.requests.count) requests…", transient: true)
        return [.sendRun(plan)]
    }

    /// `r` in the comparison grid: every request of the run again, as a new run,
    /// in the order they were made, asked about as a run is (over four, or the
    /// same run again within seconds). Reference files are opened when sent.
    static func rerun(_ s: inout AppState) -> [Effect] {
        guard let c = s.comparison else { return [] }
        guard c.loaded else {
            s.say("Run #\(c.runID) is still being read; r re-runs it once it shows")
            return []
        }
        let tasks = c.tasks.filter { !$0.request.model.isEmpty && !$0.request.prompt.isEmpty }.sorted { $0.localID < $1.localID }
        guard !tasks.isEmpty else {
            s.say("Run #\(c.runID) has no request darkroom knows to re-run", error: true)
            return []
        }
        let requests = tasks.map(\.request)
        let plan = RunPlan(requests, axes: ComparePlanner.axes(tasks).map { RunAxis(name: $0.name, values: $0.values) },
                           expression: "rerun of run #\(c.runID)", inspect: { .success(.unopened($0)) })
        return send(&s, .success(plan.priced(s.prices)))
    }

}

/// The requests of a run not sent yet, from the task list or the detail: `p`
/// holds those waiting (or sends those paused), `X` cancels them (after a `y`;
/// the run is held while it asks). They act on `RunTarget.run`.
enum UnsentKeys {
    static func pauseOrResume(_ s: inout AppState) -> [Effect] {
        guard let run = runWithUnsent(&s) else { return [] }
        return [.unsent(run: run, .pauseOrResume)]
    }

    /// Holds the run at once, then asks; the Studio's count replaces the list's (`.runHeld`).
    static func cancel(_ s: inout AppState) -> [Effect] {
        guard let run = runWithUnsent(&s) else { return [] }
        // Logged once, with its count, when the Studio answers (`.runHeld`).
        s.overlay = .confirm(.cancelUnsent(run: run, count: nil))
        s.say(Confirmation.cancelUnsent(run: run, count: nil).question, transient: true)
        return [.unsent(run: run, .hold)]
    }

    /// The run the keys address when it has requests not sent (as far as the list
    /// shows; the run just sent is taken on trust: history decides), else says why not.
    private static func runWithUnsent(_ s: inout AppState) -> Int64? {
        if let just = RunTarget.justSent(s) { return just }
        guard let t = s.selected, let run = t.runID else {
            s.say("p and X act on the requests of a run not sent yet; this task is not part of a run")
            return nil
        }
        guard s.tasks.contains(where: { $0.runID == run && $0.state.isUnsent }) else {
            s.say("Run #\(run) has no request waiting to be sent")
            return nil
        }
        return run
    }
}
