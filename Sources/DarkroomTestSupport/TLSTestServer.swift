import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// An HTTPS server on loopback for the tests of the TLS path: every request gets
/// 200 and `body`, on kept-alive connections. Its certificate is self-signed,
/// names `localhost` and `127.0.0.1`, and is trusted only by a client given
/// `trustingConfiguration` (valid from 2026-12-01 for a hundred years).
public final class TLSTestServer: Sendable {
    public let port: Int
    private let channel: Channel
    private final class Count: Sendable { let value = Mutex(0) }
    private let accepted = Count()

    /// `https://localhost:PORT`.
    public var baseURL: URL { URL(string: "https://localhost:\(port)")! }
    /// Connections accepted so far.
    public var connectionCount: Int { accepted.value.withLock { $0 } }

    /// A client TLS configuration that trusts this server's certificate, and only it.
    public static var trustingConfiguration: TLSConfiguration {
        var c = TLSConfiguration.makeClientConfiguration()
        c.trustRoots = .certificates([try! NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)])
        return c
    }

    public init(body: [UInt8]) throws {
        let tls = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(NIOSSLCertificate(bytes: Array(Self.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(NIOSSLPrivateKey(bytes: Array(Self.keyPEM.utf8), format: .pem))))
        let accepted = self.accepted
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { ch in
                accepted.value.withLock { $0 += 1 }
                return ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    try ch.pipeline.syncOperations.configureHTTPServerPipeline()
                    try ch.pipeline.syncOperations.addHandler(Answerer(body: body))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    deinit { channel.close(promise: nil) }

    private final class Answerer: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let body: [UInt8]
        init(body: [UInt8]) { self.body = body }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let head = HTTPResponseHead(version: .http1_1, status: .ok,
                                        headers: ["Content-Length": String(body.count), "Content-Type": "application/json"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    static let certificatePEM = """
    -----BEGIN CERTIFICATE-----
    MIIBwjCCAWegAwIBAgIUa65oxeIWAf7jlgBEkC695FDTMbIwCgYIKoZIzj0EAwIw
    HzEdMBsGA1UEAwwUZGFya3Jvb20gdGVzdCBzZXJ2ZXIwIBcNMjYxMjAxMDM1OTQw
    WhgPMjEyNjExMDcwMzU5NDBaMB8xHTAbBgNVBAMMFGRhcmtyb29tIHRlc3Qgc2Vy
    dmVyMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETj+J64r1Qhr6HTTEjM7tlqs5
    H57XYQs7g0AdMSwCJD5PxN4fmUFFRyXpgl1uP6Mi2dtw9o7tfKUk03r/k2v35qN/
    MH0wHQYDVR0OBBYEFDLrISzEqvNZGWGiGdUMp5Pp8EM8MB8GA1UdIwQYMBaAFDLr
    ISzEqvNZGWGiGdUMp5Pp8EM8MBoGA1UdEQQTMBGCCWxvY2FsaG9zdIcEfwAAATAP
    BgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIChDAKBggqhkjOPQQDAgNJADBG
    AiEAx9FFhlRQnfaOW0nl/FaDRGtGiGzyIw0wMXrUGikUGCwCIQCVgeLrOzZ/byd9
    DpRp4BFLktZjQx0eDhJtEeqkDt8lUg==
    -----END CERTIFICATE-----
    """

    /// The test certificate's private key: made for these tests, protects nothing.
    static let keyPEM = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg1mbITdWZvgf2w7dn
    EnC00Qg+B6OyF0DtnnHGLCjwad6hRANCAAROP4nrivVCGvodNMSMzu2Wqzkfntdh
    CzuDQB0xLAIkPk/E3h+ZQUVHJemCXW4/oyLZ23D2ju18pSTTev+Ta/fm
    -----END PRIVATE KEY-----
    """
}
