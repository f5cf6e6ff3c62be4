import Foundation
import Synchronization

/// An HTTPS server on loopback for the tests of the TLS path: every request gets
/// 200 and `body`, on kept-alive connections. It is python3's `ssl` module in a
/// child process (python3 is on every machine the tests run on), so the client
/// meets a TLS stack that is not its own.
///
/// Its certificate is self-signed, names `localhost`, `api.darkroom.test` and
/// `127.0.0.1`, and is trusted only by a client given `certificateFile` (valid
/// from 2026-12-06 for a hundred years).
public final class TLSTestServer: Sendable {
    public let port: Int
    private let process: Process
    private final class Count: Sendable { let value = Mutex(0) }
    private let accepted = Count()
    private let folder: TempDir
    /// The child's stdin: it exits when this closes (with the test process, however that ends).
    private let input = Pipe()

    /// `https://localhost:PORT`.
    public var baseURL: URL { URL(string: "https://localhost:\(port)")! }
    /// Connections accepted so far.
    public var connectionCount: Int { accepted.value.withLock { $0 } }
    /// A PEM file with the server's certificate: the one certificate a test client trusts.
    public var certificateFile: String { folder.url.appendingPathComponent("cert.pem").path }

    public init(body: [UInt8]) throws {
        folder = TempDir()
        let cert = folder.url.appendingPathComponent("cert.pem"), key = folder.url.appendingPathComponent("key.pem")
        try Self.certificatePEM.write(to: cert, atomically: true, encoding: .utf8)
        try Self.keyPEM.write(to: key, atomically: true, encoding: .utf8)
        let bodyFile = folder.url.appendingPathComponent("body")
        try Data(body).write(to: bodyFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, cert.path, key.path, bodyFile.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = input
        try process.run()
        // The first line is the port; each later line is one accepted connection.
        let reader = out.fileHandleForReading
        var buffered = ""
        while !buffered.contains("\n") {
            let data = reader.availableData
            guard !data.isEmpty else { throw TLSTestServerError(description: "python3's TLS server did not start") }
            buffered += String(decoding: data, as: UTF8.self)
        }
        let lines = buffered.split(separator: "\n", omittingEmptySubsequences: false)
        guard let port = Int(lines[0]) else { throw TLSTestServerError(description: "python3's TLS server said \(buffered)") }
        self.port = port
        let accepted = self.accepted
        accepted.value.withLock { $0 += lines.dropFirst().filter { $0 == "accepted" }.count }
        reader.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            if text.isEmpty { handle.readabilityHandler = nil; return }
            accepted.value.withLock { $0 += text.components(separatedBy: "accepted").count - 1 }
        }
    }

    // No waitUntilExit: Foundation's spins a core off the main thread. The
    // child is reaped by Foundation, and ends by itself when its stdin closes.
    deinit { process.terminate() }

    static let script = """
    import os, socket, ssl, sys, threading
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    cert, key, body_file = sys.argv[1], sys.argv[2], sys.argv[3]
    body = open(body_file, 'rb').read()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 0))
    s.listen(64)
    print(s.getsockname()[1], flush=True)
    def serve(c):
        try:
            c = ctx.wrap_socket(c, server_side=True)
            f = c.makefile('rb')
            while True:
                if not f.readline():
                    break
                length = 0
                while True:
                    h = f.readline()
                    if h in (b'\\r\\n', b'\\n', b''):
                        break
                    if h.lower().startswith(b'content-length:'):
                        length = int(h.split(b':')[1])
                if length:
                    f.read(length)
                head = b'HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(body)
                c.sendall(head + body)
        except Exception:
            pass
        finally:
            c.close()
    while True:
        c, _ = s.accept()
        print('accepted', flush=True)
        threading.Thread(target=serve, args=(c,), daemon=True).start()
    """

    static let certificatePEM = """
    -----BEGIN CERTIFICATE-----
    MIIB1jCCAXygAwIBAgIULgZ9+YIjuTQ1/t2Ct/XfvukPmbIwCgYIKoZIzj0EAwIw
    HzEdMBsGA1UEAwwUZGFya3Jvb20gdGVzdCBzZXJ2ZXIwIBcNMjYxMjA2MDIzNTQ4
    WhgPMjEyNjExMTIwMjM1NDhaMB8xHTAbBgNVBAMMFGRhcmtyb29tIHRlc3Qgc2Vy
    dmVyMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEfDHM7rpI9TGHO2HA/GBbozxt
    znkxTke3ubTXKMk/0Dp7ASAoYHPqYa/z6gfB30wWmwHE42d1FeimVo2666n5VqOB
    kzCBkDAdBgNVHQ4EFgQUT8rImFXKLdp0LorY7j11uLx+lY8wHwYDVR0jBBgwFoAU
    T8rImFXKLdp0LorY7j11uLx+lY8wLQYDVR0RBCYwJIIJbG9jYWxob3N0ghFhcGku
    ZGFya3Jvb20udGVzdIcEfwAAATAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQE
    AwIChDAKBggqhkjOPQQDAgNIADBFAiEAn+EmBApRisG/pebxsOt+zq9zUg29JC8P
    FJWEG/xLkukCIF8o9CUMHaLmvCywP8t4JlJDh/u//3MSrkdJ/j2AMrZw
    -----END CERTIFICATE-----
    """

    static let keyPEM = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgGXW0enwu5P8K2xAY
    bx+g43L5fhQibYO82WeTcQdiv3mhRANCAAR8Mczuukj1MYc7YcD8YFujPG3OeTFO
    R7e5tNcoyT/QOnsBIChgc+phr/PqB8HfTBabAcTjZ3UV6KZWjbrrqflW
    -----END PRIVATE KEY-----
    """
}

struct TLSTestServerError: Error, CustomStringConvertible {
    let description: String
}
