import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The process's two HTTP clients, made once and never shut down (like
/// `HTTPClient.shared`), each with its own connection pool on NIO's shared
/// event loops.
public enum SharedHTTPClients {
    /// For API calls: no redirects, connect timeout 10 s, at most 16 connections
    /// to a host, and a failed connection attempt fails the request at once
    /// instead of being retried until the deadline (a refused connection is
    /// reported in milliseconds, not minutes).
    public static let api: HTTPClient = {
        var c = HTTPClient.Configuration()
        c.redirectConfiguration = .disallow
        c.timeout = .init(connect: .seconds(10))
        c.connectionPool.retryConnectionEstablishment = false
        c.connectionPool.idleTimeout = .seconds(50)
        // As many connections as the poller has queries in flight (`TaskPoller`,
        // 16): a burst of queries goes out at once instead of half of it
        // queueing in the pool (BENCHMARKS.md, "Poller"). Idle ones close after 50 s.
        c.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        c.decompression = .disabled
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: c)
    }()

    /// For result files: at most 5 redirects and no cycles, connect timeout 10 s,
    /// and a stalled body (no byte for 30 s) ends the download.
    public static let files: HTTPClient = {
        var c = HTTPClient.Configuration()
        c.redirectConfiguration = .follow(max: 5, allowCycles: false)
        c.timeout = .init(connect: .seconds(10), read: .seconds(30))
        c.connectionPool.retryConnectionEstablishment = false
        c.decompression = .disabled
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: c)
    }()
}

/// Turns NIO and AsyncHTTPClient errors into `TransportError`s, sorting them by
/// the one question that matters for a submit: can the server have seen it?
enum NIOErrorMapping {
    static func transportError(_ error: any Error) -> TransportError {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .timedOut
            case .connectTimeout: return .cannotConnect("no connection within 10 s")
            case .tlsHandshakeTimeout: return .cannotConnect("the secure (TLS) connection could not be set up in time")
            case .getConnectionFromPoolTimeout: return .cannotConnect("no connection became free in time")
            case .remoteConnectionClosed: return .connectionLost("the server closed the connection before it answered")
            case .redirectLimitReached: return .other("too many redirects (more than 5)")
            case .redirectCycleDetected: return .other("the redirects go round in a loop")
            case .bodyLengthMismatch: return .connectionLost("the answer ended before the length it announced")
            case .invalidURL, .emptyHost, .emptyScheme: return .cannotConnect("the URL cannot be used")
            case .cancelled: return .other("the request was cancelled")
            default: return .connectionLost("the exchange failed (\(e.shortDescription))")
            }
        }
        if let e = error as? NIOConnectionError {
            if e.dnsAError != nil || e.dnsAAAAError != nil, e.connectionErrors.isEmpty {
                return .cannotConnect("the host name \(e.host) could not be resolved")
            }
            let first = e.connectionErrors.first.map { errnoText(($0.error as? IOError)?.errnoCode) } ?? "no address answered"
            return .cannotConnect("cannot connect to \(e.host):\(e.port) (\(first))")
        }
        if let e = error as? IOError {
            // These only happen while connecting: nothing of the request left this machine.
            if [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL].contains(e.errnoCode) {
                return .cannotConnect(errnoText(e.errnoCode))
            }
            return .connectionLost("the connection failed (\(errnoText(e.errnoCode)))")
        }
        if error is SocketAddressError { return .cannotConnect("the host name could not be resolved") }
        if let e = error as? NIOSSLError {
            if case .handshakeFailed = e {
                // BoringSSL's text names a source file of the build; say what it means instead.
                if String(describing: e).contains("CERTIFICATE_VERIFY_FAILED") {
                    return .cannotConnect("the secure (TLS) connection could not be set up: the server's certificate "
                                          + "could not be verified (not trusted here, expired, or made for another name)")
                }
                return .cannotConnect("the secure (TLS) connection could not be set up (\(e))")
            }
            return .connectionLost("the secure connection failed (\(e))")
        }
        if error is ChannelError { return .connectionLost("the connection failed") }
        return .other("the exchange failed (\(TerminalSanitizer.clean(String(describing: error))))")
    }

    /// "connection refused" for ECONNREFUSED, from the C library.
    static func errnoText(_ code: Int32?) -> String {
        guard let code else { return "unknown error" }
        return String(cString: strerror(code)).lowercased()
    }
}

extension HTTPClientError {
    /// AsyncHTTPClient's description without its type name.
    var shortDescription: String {
        String(describing: self).replacingOccurrences(of: "HTTPClientError.", with: "")
    }
}
