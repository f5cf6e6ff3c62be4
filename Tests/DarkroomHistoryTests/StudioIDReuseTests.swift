import DarkroomCore
import DarkroomSimulator
import Foundation
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// A test server restarted on the same address starts its ids again. The task
/// it creates after the restart is recorded and followed like any other, and
/// the one it created before keeps its pictures. (Before: "the server created
/// task task_... (#2), but the history could not record it (UNIQUE constraint
/// failed: task.base_url, task.task_id)", and the new task was never followed.)
extension StudioTests {
    @Test("a server restarted on the same address hands out its first id again: the new task is recorded and followed, the old one kept")
    func serverRestartedOnSameAddress() async throws {
        let r = try await rig()
        let first = try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "before the restart"))
        try await settle(r, [first.localID])
        let port = try #require(r.sim.baseURL.port)
        await r.sim.stop()
        let again = try await SimulatorServer.start(port: UInt16(port), now: { r.time.now() })
        defer { Task { await again.stop(); await r.studio.shutdown() } }

        let second = try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "after the restart"))
        // The simulator's ids follow its seed: restarted, it hands out the same first id.
        #expect(second.taskID == first.taskID && second.taskID != nil)
        #expect(second.localID != first.localID)
        try await settle(r, [second.localID])
        let new = try #require(try await r.store.record(localID: second.localID))
        #expect(new.state == .succeeded)
        #expect(new.results.map(\.state) == [.saved])
        let old = try #require(try await r.store.record(localID: first.localID))
        #expect(old.state == .succeeded && old.request.prompt == "before the restart")
        #expect(old.results.map(\.state) == [.saved])
        #expect(old.results.first?.file?.path != new.results.first?.file?.path)
    }
}
