import DarkroomSimulator
import Foundation

extension SimulatorServer {
    /// Stops the simulator and keeps its port refusing connections, given to no
    /// other server, for as long as the returned object lives: a test's "server
    /// that went away" stays away (see `RefusedPort`). Keep it with
    /// `defer { withExtendedLifetime(gone) {} }`.
    public func stopRefusing() async throws -> RefusedPort {
        await stop()
        return try RefusedPort(taking: baseURL)
    }
}
