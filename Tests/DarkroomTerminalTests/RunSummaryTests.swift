import DarkroomCore
import DarkroomStudio
import Testing
@testable import DarkroomTerminal

/// What the TUI says when a run's sending ends: never a word that contradicts
/// what the user answered (a cancelled request is not "held").
@Suite("A run's closing summary")
struct RunSummaryTests {
    @Test("requests cancelled while the run was sending are said as cancelled, not as held")
    func cancelledAreCancelled() {
        let outcomes: [RunOutcome] = [.notSent(localID: 3, state: .cancelled), .notSent(localID: 4, state: .cancelled),
                                      .notSent(localID: 5, state: .paused)]
        let (text, isError) = StudioHolder<ContinuousClock>.summary(outcomes, run: 3)
        #expect(text == "Run #3: 0 sent, 2 cancelled, 1 not sent, held: p sends them, X cancels them")
        #expect(!isError)
        let (all, _) = StudioHolder<ContinuousClock>.summary([.notSent(localID: 3, state: .cancelled)], run: 3)
        #expect(all == "Run #3: 0 sent, 1 cancelled")
    }

    @Test("a run stopped by the gateway's quota says so in words, with the amount its message names, and how to go on")
    func quotaStop() {
        let refusal = ClientError.api(.quotaExhausted(.key, status: 403,
                                                      message: "token quota is not enough, token remain quota: ＄0.020000, need quota: ＄0.040000"))
        let outcomes: [RunOutcome] = [.failed(.submitFailed(record: nil, error: refusal)), .notSent(localID: 5, state: .paused)]
        let (text, isError) = StudioHolder<ContinuousClock>.summary(outcomes, run: 7)
        #expect(isError)
        #expect(text.contains("the key's quota is used up ($0.020 left): top up, then p on the run sends the rest"), "\(text)")
        #expect(text.hasSuffix("1 not sent, held: p sends them, X cancels them"))
    }
}
