import DarkroomCore
import Testing
@testable import DarkroomTUI

@Suite("Knowing when a task is done")
struct NotificationTests {

    @Test("a task ending while the user composes is said in the status bar, once")
    func statusBar() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.send(.taskChanged(Records.make(7, .processing, prompt: "a fox\nin snow", progress: 50)))
        d.effects = []
        d.send(.taskChanged(Records.make(7, .succeeded, prompt: "a fox\nin snow", progress: 100, results: 1)))
        #expect(d.state.message == "✓ #7 done: a fox")
        #expect(d.effects.isEmpty, "no bell or desktop notification unless the config asks")
        d.state.message = nil
        // The download that follows changes the task again: no second announcement.
        d.send(.taskChanged(Records.make(7, .succeeded, prompt: "a fox\nin snow", progress: 100, results: 1)))
        #expect(d.state.message == nil)
    }

    @Test("a failure says why, sanitised")
    func failure() {
        let d = Driver()
        d.send(.taskChanged(Records.make(8, .processing, prompt: "x", progress: 10)))
        d.state.focus = .compose
        d.send(.taskChanged(Records.make(8, .failed, prompt: "x", progress: 10, error: "policy\u{1B}[2J refused")))
        #expect(d.state.message == "✗ #8 failed: x (policy refused)")
        #expect(d.state.messageIsError)
    }

    @Test("no status-bar news for the task the user is looking at")
    func lookingAtIt() {
        let d = Driver()
        d.send(.taskChanged(Records.make(9, .processing, prompt: "y", progress: 10)))
        d.press(.f(4))
        #expect(d.state.selectedID == 9)
        d.state.message = nil
        d.send(.taskChanged(Records.make(9, .succeeded, prompt: "y", progress: 100)))
        #expect(d.state.message == nil)
    }

    @Test("with the config's bell and desktop on, an ending asks for both")
    func effects() {
        let d = Driver()
        d.state.notifications = NotificationSettings(bell: true, desktop: true)
        d.send(.taskChanged(Records.make(7, .queued, prompt: "a fox", progress: 0)))
        d.effects = []
        d.send(.taskChanged(Records.make(7, .succeeded, prompt: "a fox", progress: 100)))
        #expect(d.effects == [.notify(title: "darkroom: task done", body: "#7 a fox", bell: true, desktop: true)])
    }

    @Test("tasks already ended when loaded from history are not news")
    func loadedNotNews() {
        let d = Driver()
        d.state.notifications = NotificationSettings(bell: true, desktop: false)
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.effects = []
        d.send(.taskChanged(Records.sample[2]))   // #4, succeeded long ago, downloaded again
        #expect(d.effects.isEmpty)
    }

    @Test("the bell, OSC 777 and OSC 9, with no control characters or field breaks from the text")
    func sequence() {
        let s = NotificationSequence.make(title: "done", body: "#7 a;b\u{07}c", bell: true, desktop: true, inTmux: false)
        #expect(s == "\u{07}\u{1B}]777;notify;done;#7 a,bc\u{1B}\\\u{1B}]9;done: #7 a,bc\u{1B}\\")
        #expect(NotificationSequence.make(title: "t", body: "b", bell: true, desktop: false, inTmux: false) == "\u{07}")
    }

    @Test("inside tmux the OSCs are wrapped for passthrough, ESCs doubled")
    func tmux() {
        let s = NotificationSequence.make(title: "t", body: "b", bell: false, desktop: true, inTmux: true)
        #expect(s == "\u{1B}Ptmux;\u{1B}\u{1B}]777;notify;t;b\u{1B}\u{1B}\\\u{1B}\\\u{1B}Ptmux;\u{1B}\u{1B}]9;t: b\u{1B}\u{1B}\\\u{1B}\\")
    }
}
