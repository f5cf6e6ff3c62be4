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
}
