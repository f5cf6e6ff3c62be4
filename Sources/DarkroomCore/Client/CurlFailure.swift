import CCurl
import Foundation

/// Turns libcurl's result codes into `TransportError`s, sorted by the one
/// question that matters for a submit: can the server have seen it?
enum CurlFailure {
    static func transportError(_ code: CURLcode, _ t: CurlTransfer) -> TransportError {
        let host = t.url.host.map { h in t.url.port.map { "\(h):\($0)" } ?? h } ?? "the server"
        let proxy = t.proxy.map(ProxySettings.redacted)
        // Nothing of the request was sent until the connection (and its TLS) was up.
        let connected = t.time(CURLINFO_CONNECT_TIME_T) > 0 || t.time(CURLINFO_APPCONNECT_TIME_T) > 0
        let sent = t.time(CURLINFO_PRETRANSFER_TIME_T) > 0
        let tunnel = t.info(CURLINFO_HTTP_CONNECTCODE)
        if let proxy, tunnel != 0, !(200...299).contains(tunnel) {
            let why = tunnel == 407 ? ": it asks for a user name and password (put them in the proxy's URL)" : ""
            return .cannotConnect("the proxy \(proxy) refused to connect to \(host) (HTTP \(tunnel))\(why)")
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            if sent { return .timedOut }
            // curl counts an https connection as made only once its TLS is up.
            if t.url.scheme?.lowercased() == "https" {
                return .cannotConnect("no secure (TLS) connection within \(t.secondsAllowed): nothing was sent")
            }
            return .cannotConnect("no connection within \(t.secondsAllowed): nothing was sent")
        case CURLE_COULDNT_RESOLVE_HOST:
            return .cannotConnect("the host name \(t.url.host ?? "") could not be resolved")
        case CURLE_COULDNT_RESOLVE_PROXY:
            return .cannotConnect("the proxy's host name could not be resolved (\(proxy ?? "no proxy"))")
        case CURLE_COULDNT_CONNECT:
            let why = errnoText(Int32(t.info(CURLINFO_OS_ERRNO)))
            if let proxy { return .cannotConnect("cannot connect to the proxy \(proxy) (\(why))") }
            return .cannotConnect("cannot connect to \(host) (\(why))")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR:
            return .cannotConnect("the secure (TLS) connection could not be set up: the server's certificate "
                                  + "could not be verified (not trusted here, expired, or made for another name)")
        case CURLE_SSL_CONNECT_ERROR:
            return .cannotConnect("the secure (TLS) connection could not be set up (\(t.curlMessage))")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .cannotConnect("the URL cannot be used (only http and https are)")
        case CURLE_GOT_NOTHING:
            return .connectionLost("the server closed the connection before it answered")
        case CURLE_PARTIAL_FILE:
            return .connectionLost("the answer ended before the length it announced")
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            if !sent && !connected { return .cannotConnect("the connection failed before the request was sent (\(t.curlMessage))") }
            return .connectionLost("the connection failed (\(t.curlMessage))")
        case CURLE_TOO_MANY_REDIRECTS:
            return .other("too many redirects")
        case CURLE_OUT_OF_MEMORY:
            return .other("out of memory")
        default:
            let text = String(cString: curl_easy_strerror(code))
            return sent ? .connectionLost("the exchange failed (\(text))") : .cannotConnect("the exchange failed (\(text))")
        }
    }

    /// "connection refused" for ECONNREFUSED, from the C library.
    static func errnoText(_ code: Int32) -> String {
        code == 0 ? "no address answered" : String(cString: strerror(code)).lowercased()
    }
}
