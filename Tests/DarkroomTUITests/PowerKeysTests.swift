import DarkroomCore
import DarkroomHistory
import Testing
@testable import DarkroomTUI

@Suite("Power keys")
struct PowerKeysTests {
    @Test("m loads the task mapped to the other family into the composer and says what was mapped")
    func otherFamily() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.press(.f(3), .down)   // #5: gpt-image-2 1536x1024
        d.press(.char("m"))
        #expect(d.state.focus == .compose)
        #expect(d.state.composer.request.model == "NanoBanana2-1K")
        #expect(d.state.composer.request.aspectRatio == "3:2")
        #expect(d.state.composer.request.size == nil)
        #expect(d.state.message == "Mapped: 1536x1024 (3:2, 1K) on gpt-image-2 → 3:2 on NanoBanana2-1K. Ctrl-S sends it")
        #expect(d.state.composer.problems(includingEmptyPrompt: true).isEmpty, "the mapped request is valid as it stands")
        // And back again.
        d.press(.f(3), .down)   // #4: NanoBanana2-1K 16:9
        d.press(.char("m"))
        #expect(d.state.composer.request.model == "gpt-image-2")
        #expect(d.state.composer.request.size == "1536x864")
    }
}
