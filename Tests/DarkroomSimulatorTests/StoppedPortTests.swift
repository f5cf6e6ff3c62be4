import DarkroomSimulator
import DarkroomTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A server a test stopped must stay away: its port refuses connections and is
/// handed to no other server meanwhile. Without that, a test expecting "cannot
/// reach the server" can reach another test's server, as happened once in CI
/// ("history tells a key the server refused from a server never reached").
@Suite("A stopped server's port stays refused")
struct StoppedPortTests {
    /// The three things a held port must do.
    func expectHeld(_ port: UInt16, _ what: Comment) {
        #expect(PortProbe.connectError(port) == ECONNREFUSED, what)
        #expect(PortProbe.bindError(port) == EADDRINUSE, "something must hold it: \(what)")
        #expect(!PortProbe.portsGivenForPortZero(2_000).contains(port), "bind(0) handed it out: \(what)")
    }

    @Test("a RefusedPort refuses, and no bind of port 0 is given it")
    func refusedPort() throws {
        let held = try RefusedPort()
        expectHeld(held.port, "a fresh RefusedPort")
        #expect(held.baseURL.absoluteString == "http://127.0.0.1:\(held.port)")
    }

    @Test("a stopped scripted server keeps its port refused while it lives")
    func scriptedServer() throws {
        let server = try ScriptedHTTPServer { _ in .close }
        server.stop()
        expectHeld(server.port, "a stopped ScriptedHTTPServer")
        withExtendedLifetime(server) {}
    }

    @Test("a simulator stopped with stopRefusing keeps its port refused, connections in TIME_WAIT or not")
    func simulator() async throws {
        let sim = try await SimulatorServer.start()
        // One exchange first, so the server side holds a closed connection.
        let (_, response) = try await URLSession.shared.data(from: sim.baseURL.appendingPathComponent("v1/images/tasks/task_x"))
        #expect((response as? HTTPURLResponse)?.statusCode == 401)
        let gone = try await sim.stopRefusing()
        #expect(gone.port == UInt16(sim.baseURL.port!))
        expectHeld(gone.port, "a stopped simulator")
        withExtendedLifetime(gone) {}
    }
}

/// Raw socket probes of a loopback port.
enum PortProbe {
    /// The errno of connecting to 127.0.0.1:`port`, 0 if it connected.
    static func connectError(_ port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = LoopbackSocket.address(port: port)
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        return r == 0 ? 0 : errno
    }

    /// The errno of binding 127.0.0.1:`port` without `SO_REUSEADDR`, 0 if it bound:
    /// EADDRINUSE while any socket holds the port (or a connection on it is in TIME_WAIT).
    static func bindError(_ port: UInt16) -> Int32 {
        guard let (fd, _) = LoopbackSocket.bound(port: port, reuseAddress: false) else { return errno }
        close(fd)
        return 0
    }

    /// The ports the kernel gives `count` servers that bind port 0, in batches
    /// of 200 held open at once (so a low open-file limit is enough).
    static func portsGivenForPortZero(_ count: Int) -> Set<UInt16> {
        var ports = Set<UInt16>()
        for _ in 0..<(count / 200) {
            var fds: [Int32] = []
            for _ in 0..<200 {
                guard let (fd, port) = LoopbackSocket.bound(port: 0) else { continue }
                fds.append(fd)
                if listen(fd, 1) == 0 { ports.insert(port) }
            }
            for fd in fds { close(fd) }
        }
        return ports
    }
}
