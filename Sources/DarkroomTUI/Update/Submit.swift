import DarkroomCore
import Foundation

/// Ctrl-S: validate again, ask before a repeat or a very long prompt, send.
enum Submit {
    static func send(_ s: inout AppState) -> [Effect] {
        s.composer.refreshValidation(force: true)
        // Several values or `{a|b}`: a run, each request checked on its own.
        if let plan = s.composer.plan { return RunSender.send(&s, plan.map { $0.priced(s.prices) }) }
        let problems = s.composer.problems(includingEmptyPrompt: true)
        guard problems.isEmpty else {
            s.focus = .compose
            s.composer.showAllProblems = true
            if let first = problems.first, let f = ComposerField.allCases.first(where: { $0.requestField == first.field && s.composer.fields.contains($0) }) {
                s.composer.field = f
            }
            s.say("Not sent: " + problems.map(\.message).joined(separator: "; "), error: true)
            return []
        }
        s.composer.showAllProblems = false
        var request = s.composer.request
        // `\{` is a literal brace, a one-line wildcard file its line: the one prompt as it reads, then its style.
        if let one = try? PromptAlternatives.expand(request.typedPrompt, wildcards: s.composer.wildcards), one.count == 1 {
            var typed = request
            typed.style = nil
            typed.prompt = one[0]
            request = typed.styled(s.composer.chosenStyle)
        }
        return next(&s, request, after: nil)
    }

    /// The questions a request raises before it is sent, in order.
    static func questions(_ s: AppState, _ request: ImageRequest) -> [Confirmation] {
        var q: [Confirmation] = []
        if let last = s.lastSubmit, same(last.request, request), s.clock.timeIntervalSince(last.at) < AppState.resendWindow { q.append(.resend(request)) }
        if request.prompt.count > AppState.longPrompt { q.append(.longPrompt(request)) }
        if let why = BudgetCheck.problem(cost: s.prices.estimate(request), budget: s.budget, balance: s.gateway.balance) {
            q.append(.overBudget(request, why: why))
        }
        return q
    }

    /// Whether two requests send the same thing: what the core would send, not
    /// how it was written (a task's request loaded into the composer has its
    /// defaults filled in). Files are compared by path, never opened here.
    static func same(_ a: ImageRequest, _ b: ImageRequest) -> Bool {
        if a == b { return true }
        let unopened: (String) -> Result<LocalImage, ValidationProblem> = { .success(.unopened($0)) }
        guard case let .success(va) = RequestValidator.validate(a, inspect: unopened),
              case let .success(vb) = RequestValidator.validate(b, inspect: unopened) else { return false }
        return va == vb
    }

    /// Asks the question after `answered` (nil: the first), or sends when none is left.
    static func next(_ s: inout AppState, _ request: ImageRequest, after answered: Confirmation?) -> [Effect] {
        let all = questions(s, request)
        let start = answered.flatMap { a in all.firstIndex(of: a).map { $0 + 1 } } ?? 0
        if start < all.count { return ask(&s, all[start]) }
        return go(&s, request)
    }

    static func ask(_ s: inout AppState, _ c: Confirmation) -> [Effect] {
        s.overlay = .confirm(c)
        s.say(c.question)
        return []
    }

    /// Sends a request the user has confirmed (or that needed no question).
    static func go(_ s: inout AppState, _ request: ImageRequest) -> [Effect] {
        s.submitting += 1
        s.lastSubmit = SentRequest(request: request, at: s.clock)
        PromptHistory.submitted(&s, request.prompt)
        s.say("Submitting…", transient: true)
        return [.submit(request)]
    }
}
