import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

@Suite("Watching, downloads and polling the user can see")
struct WatchingTests {
    func loaded() -> Driver {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        return d
    }

    @Test("w stops watching a running task, and on a task not watched, watches it again")
    func toggle() {
        let d = loaded()
        d.press(.f(3), .down) // #5, processing
        d.press(.char("w"))
        #expect(d.effects.last == .setWatching(localID: 5, false))
        var off = Records.sample[1]
        off.unwatchedAt = Date(timeIntervalSince1970: 1_800_000_100)
        d.send(.taskChanged(off))
        d.press(.char("w"))
        #expect(d.effects.last == .setWatching(localID: 5, true))
        d.press(.char("j"), .char("w")) // #4, succeeded: nothing to watch
        #expect(d.state.messageIsError && d.state.message?.contains("nothing to watch") == true)
    }

    @Test("a task not watched is marked in the list and the detail, and its clock stops")
    func unwatchedShows() {
        let d = loaded()
        var off = Records.sample[1]
        off.unwatchedAt = off.createdAt.addingTimeInterval(42)
        d.send(.taskChanged(off))
        d.press(.f(3), .down)
        let screen = d.screen
        let row = screen.split(separator: "\n").first { $0.contains("gpt-image-2") && $0.contains("a lighthouse") } ?? ""
        #expect(row.contains("‖") && row.contains("42s"), "\(row)")
        #expect(screen.contains("running, not watched"))
        #expect(screen.contains("w watches it again"))
    }

    @Test("F5 asks the server again for the key's models, balance and prices; after a refused key it also resumes polling")
    func f5() {
        let d = loaded()
        d.press(.f(5))
        #expect(d.effects == [.askGateway(GatewayProbe.allRoutes), .readWildcards], "and the wildcard files are read again")
        #expect(d.state.message?.contains("Asking the server again") == true)
        d.send(.authFailed("the server refused the API key (401)."))
        d.press(.f(5))
        #expect(d.effects.suffix(3) == [.resumePolling, .askGateway(GatewayProbe.allRoutes), .readWildcards])
        #expect(d.state.message?.contains("Reading the key again") == true)
    }

    @Test("the end of a download replaces 'Downloading…' in the status bar")
    func downloadOutcome() {
        let d = loaded()
        d.press(.f(3), .down, .down) // #4, succeeded
        d.press(.char("d"))
        #expect(d.effects.last == .download(localID: 4))
        #expect(d.state.message?.hasPrefix("Downloading the results of #4") == true)
        d.send(.notice("#4 re-download failed, saved copy kept: the link has expired (404)", isError: true))
        #expect(d.screen.contains("#4 re-download failed"))
        #expect(!d.screen.contains("Downloading the results"))
    }

    @Test("a submission whose outcome is unknown says what the user can do")
    func unknownSubmit() {
        let d = loaded()
        d.press(.f(3), .end, .up) // #2
        #expect(d.screen.contains("The server may have this task (and bill it): look it up on the"))
        #expect(d.screen.contains("vendor's dashboard before sending it again. r sends it again on"))
    }
}
