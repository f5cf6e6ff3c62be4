import CCurl
import Foundation
import Synchronization

/// One exchange on libcurl: its easy handle, set up from an `HTTPRequestData`,
/// and the answer as it arrives (status, headers, body up to a limit, or a
/// download's body streamed into its `DownloadSink`).
///
/// Made on the caller's thread; once handed to `CurlEngine` it is touched only
/// on the engine's thread, which also frees the handle. Not thread-safe.
final class CurlTransfer: @unchecked Sendable {
    /// Where the body goes.
    enum Destination {
        /// Kept in memory, at most `limit` bytes: more fails with `TransportError.tooLarge`.
        case memory(limit: Int)
        /// A 2xx body is written to the sink as it arrives (its `maxBytes` is the limit);
        /// another status's body is read and dropped.
        case sink(DownloadSink)
    }

    private(set) var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    let destination: Destination
    let url: URL
    /// The proxy this exchange goes through, as the user wrote it; nil for none.
    let proxy: String?
    /// How long connecting (and TLS) may take, in milliseconds.
    let connectLimit: Int
    /// Set by `CurlEngine` (engine thread only).
    var continuation: CheckedContinuation<HTTPResponseData, any Error>?
    /// A cancel that arrived before the transfer was added (engine thread only).
    var cancelledEarly = false

    private var status = 0
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []
    /// Why the callbacks stopped the exchange (a limit passed, the sink failed).
    private var abort: (any Error)?
    /// Bytes of a download's non-2xx body read and dropped; past `droppedLimit`
    /// reading stops and the status alone is the answer.
    private var dropped = 0
    private var stoppedDropping = false
    static let droppedLimit = 64 << 10

    /// - Parameters:
    ///   - stallLimit: an exchange that receives no byte for this long ends (downloads); nil for none.
    ///   - caFile: certificates to trust instead of the system's (tests).
    init(_ request: HTTPRequestData, destination: Destination, proxy: String?, stallLimit: Duration?, caFile: String?) {
        self.destination = destination
        self.url = request.url
        self.proxy = proxy
        let timeout = max(1, Int(request.timeout.nanoseconds / 1_000_000))
        connectLimit = min(timeout, CurlTransport.connectTimeoutMilliseconds)
        errorBuffer.initialize(to: 0)
        let easy = CurlHandles.take()
        self.easy = easy
        guard let easy else { return }
        let me = Unmanaged.passUnretained(self).toOpaque()
        dr_easy_setopt_string(easy, CURLOPT_URL, request.url.absoluteString)
        dr_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        // http and https only, redirects included (the transport follows them itself).
        dr_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        dr_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        dr_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        dr_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeout)
        dr_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, connectLimit)
        if let stallLimit {
            dr_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1)
            dr_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, max(1, Int(stallLimit.nanoseconds / 1_000_000_000)))
        }
        dr_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        dr_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION, curlBodyCallback)
        dr_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        dr_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        dr_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        // Wait for a multiplexed HTTP/2 connection rather than open another one.
        dr_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1)
        dr_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        // An empty proxy string turns off curl's own reading of the environment:
        // `ProxySettings` has decided already.
        dr_easy_setopt_string(easy, CURLOPT_PROXY, proxy ?? "")
        if let caFile { dr_easy_setopt_string(easy, CURLOPT_CAINFO, caFile) }

        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers { list = curl_slist_append(list, "\(name): \(value)") }
        // No "Expect: 100-continue" round trip before a body.
        list = curl_slist_append(list, "Expect:")
        headerList = list
        dr_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)

        switch request.method {
        case "GET": dr_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": dr_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            if request.method != "POST" { dr_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method) }
            let body = request.body ?? []
            dr_easy_setopt_long(easy, CURLOPT_POST, 1)
            dr_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // Never a null pointer, even for an empty body: without fields curl would
            // read the body from its default source, standard input.
            let bytes = body.isEmpty ? [0] : body
            _ = bytes.withUnsafeBytes { dr_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
            // Anything but a query goes on a new connection. curl sends a request
            // again by itself when a reused connection turns out closed before any
            // answer; for a submit that could create (and bill) a second task. On a
            // fresh connection it never does.
            dr_easy_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
        }
    }

    deinit {
        release()
        errorBuffer.deallocate()
    }

    /// Frees the easy handle (after the engine removed it from its multi handle).
    func release() {
        if let easy { CurlHandles.give(easy) }
        easy = nil
        curl_slist_free_all(headerList)
        headerList = nil
    }

    /// The answer of a finished exchange, or why it failed.
    func outcome(_ code: CURLcode) -> Result<HTTPResponseData, any Error> {
        if let abort { return .failure(abort) }
        if stoppedDropping { return .success(HTTPResponseData(status: status, headers: headers, body: [])) }
        guard code == CURLE_OK else { return .failure(CurlFailure.transportError(code, self)) }
        var answer = HTTPResponseData(status: status, body: body)
        answer.headers = headers
        body = []
        return .success(answer)
    }

    /// Where a 3xx answer points, made absolute by curl; kept when the handle is freed.
    private(set) var redirectURL: URL?

    /// Keeps what is read after the exchange (engine thread, before `release`).
    func keepInfo() { redirectURL = readRedirectURL() }

    private func readRedirectURL() -> URL? {
        guard let easy else { return nil }
        var text: UnsafeMutablePointer<CChar>?
        guard dr_easy_getinfo_string(easy, CURLINFO_REDIRECT_URL, &text) == CURLE_OK, let text else { return nil }
        return URL(string: String(cString: text))
    }

    /// "10 s", "300 ms": the connection's time limit as said in messages.
    var secondsAllowed: String {
        connectLimit % 1000 == 0 ? "\(connectLimit / 1000) s" : "\(connectLimit) ms"
    }

    /// curl's own sentence about the failure, cleaned of control characters; may be empty.
    var curlMessage: String { TerminalSanitizer.clean(String(cString: errorBuffer)) }

    func info(_ what: CURLINFO) -> Int {
        guard let easy else { return 0 }
        var value = 0
        dr_easy_getinfo_long(easy, what, &value)
        return value
    }

    func time(_ what: CURLINFO) -> Int64 {
        guard let easy else { return 0 }
        var value: curl_off_t = 0
        dr_easy_getinfo_off(easy, what, &value)
        return Int64(value)
    }

    // MARK: callbacks (engine thread)

    /// One header line; a status line starts a new answer (after a 1xx, or a proxy's CONNECT answer).
    /// Parsed as bytes: this runs for every header of every answer.
    fileprivate func header(_ line: UnsafeRawBufferPointer) -> Bool {
        let bytes = line.bindMemory(to: UInt8.self)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20 { end -= 1 }
        guard end > 0 else { return true }
        if end > 5, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F {  // "HTTP/"
            var i = 5
            while i < end, bytes[i] != 0x20 { i += 1 }
            var code = 0
            i += 1
            while i < end, (0x30...0x39).contains(bytes[i]) { code = code * 10 + Int(bytes[i] - 0x30); i += 1 }
            status = code
            headers = [:]
            return true
        }
        guard let colon = bytes[..<end].firstIndex(of: 0x3A) else { return true }
        var valueStart = colon + 1
        while valueStart < end, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
        // ASCII lower case: header names are ASCII tokens.
        let name = String(decoding: bytes[..<colon].map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
        guard headers[name] == nil else { return true }
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<end]), as: UTF8.self)
        headers[name] = value
        if name == "content-length", let declared = Int(value) {
            switch destination {
            case let .memory(limit) where declared > limit:
                abort = TransportError.tooLarge(status: status, limit: limit)
                return false
            case let .sink(sink) where declared > sink.maxBytes && (200...299).contains(status):
                abort = FetchError.tooLarge(limit: sink.maxBytes)
                return false
            default: break
            }
        }
        return true
    }

    /// A piece of the body.
    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch destination {
        case let .memory(limit):
            guard body.count + bytes.count <= limit else {
                abort = TransportError.tooLarge(status: status, limit: limit)
                return false
            }
            body.append(contentsOf: bytes)
        case let .sink(sink):
            guard (200...299).contains(status) else {
                // An error page is not kept; a huge one is not read to its end.
                dropped += bytes.count
                if dropped > Self.droppedLimit { stoppedDropping = true; return false }
                return true
            }
            do throws(FetchError) { try sink.write(bytes) } catch {
                abort = error
                return false
            }
        }
        return true
    }
}

/// curl's write callback: the body, piece by piece. Returning less than given ends the exchange.
private let curlBodyCallback: curl_write_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    return transfer.receive(UnsafeRawBufferPointer(start: pointer, count: n)) ? n : 0
}

/// curl's header callback: one line at a time, the status line included.
private let curlHeaderCallback: curl_write_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    return transfer.header(UnsafeRawBufferPointer(start: pointer, count: n)) ? n : 0
}

/// Easy handles kept for the next exchange (`curl_easy_reset` clears their
/// options, keeps their buffers): making one per request costs more than the
/// rest of a query. At most 32 are kept.
enum CurlHandles {
    /// A handle in the spare list, used by one exchange at a time.
    private struct Spare: @unchecked Sendable { let handle: UnsafeMutableRawPointer }
    private static let spare = Mutex<[Spare]>([])

    static func take() -> UnsafeMutableRawPointer? {
        if let h = spare.withLock({ $0.popLast() }) { return h.handle }
        return curl_easy_init()
    }

    static func give(_ handle: UnsafeMutableRawPointer) {
        curl_easy_reset(handle)
        let kept = spare.withLock { list in
            guard list.count < 32 else { return false }
            list.append(Spare(handle: handle))
            return true
        }
        if !kept { curl_easy_cleanup(handle) }
    }
}
