import Foundation

/// Reads task objects from response bodies in every shape gateways of this kind
/// send (see "Answers" in `docs/API.md`).
public enum TaskDecoder {
    /// Why a body could not be read as a task.
    public enum Failure: Error, Equatable, Sendable {
        /// Not JSON, or JSON without a task in it.
        case malformed(String)
        /// An envelope whose `code` is not success (e.g. `task_not_exist`), with its message.
        case envelopeError(code: String, message: String)
    }

    /// Decodes a bare task object or a `{code, message, data}` envelope around one.
    public static func decode(_ body: [UInt8]) throws(Failure) -> ImageTask {
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch { throw .malformed("not JSON (\(error.reason) at byte \(error.offset))") }
        return try decode(json)
    }

    public static func decode(_ json: JSONValue) throws(Failure) -> ImageTask {
        guard case .object = json else { throw .malformed("expected a JSON object") }
        var object = json
        if json["task_id"] == nil, let data = json["data"] {
            if case .object = data, data["task_id"] != nil {
                object = data
            } else {
                let code = scalarText(json["code"]) ?? ""
                let message = scalarText(json["message"]) ?? ""
                if !code.isEmpty && code.lowercased() != "success" || !message.isEmpty {
                    throw .envelopeError(code: clean(code), message: clean(message))
                }
                throw .malformed("the envelope holds no task")
            }
        }
        guard let rawID = scalarText(object["task_id"]) ?? scalarText(object["id"]), !rawID.isEmpty else {
            throw .malformed("no task_id in the response")
        }
        let rawStatus = scalarText(object["status"]) ?? ""
        let status = TaskStatus(raw: rawStatus)
        let metadata = object["metadata"]
        var urls: [String] = []
        if status == .succeeded {
            urls = urlList(metadata?["result_urls"])
            if urls.isEmpty { urls = urlList(object["result_urls"]) }
            if urls.isEmpty { urls = urlList(object["result_url"]) }
        }
        var message = errorText(object["error"])
        if status == .failed, message == nil, let r = scalarText(object["result_url"]), !isHTTP(r), !r.isEmpty {
            // Some forks put the failure reason in result_url.
            message = clean(r)
        }
        if status == .failed, message == nil, let r = scalarText(object["fail_reason"]), !r.isEmpty { message = clean(r) }
        // The id is data: kept exactly as sent (it is asked for again, percent-encoded),
        // and cleaned only where it is shown.
        return ImageTask(
            id: rawID, status: status, rawStatus: clean(rawStatus), progress: progress(object["progress"]),
            resultURLs: urls, resultCount: metadata?["result_count"]?.intValue,
            taskType: scalarText(metadata?["task_type"]).map(clean), errorMessage: message)
    }

    /// `"50%"`, `"50"`, `50`, `50.0`, clamped to 0...100.
    public static func progress(_ v: JSONValue?) -> Int? {
        guard let v else { return nil }
        var number: Double?
        switch v {
        case let .int(i): number = Double(i)
        case let .double(d): number = d
        case let .string(s):
            number = Double(String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "%" })).trimmingSpaces)
        default: number = nil
        }
        guard let n = number, n.isFinite else { return nil }
        return Int(min(100, max(0, n)).rounded())
    }

    /// Result links from an array, a string, or a comma-joined string, in order,
    /// without blanks or duplicates. Every candidate is kept, http(s) or not:
    /// the client resolves relative ones against the base URL, and a link of
    /// another scheme is refused when it is downloaded, loudly, and stays in the
    /// record with the reason (never silently dropped).
    static func urlList(_ v: JSONValue?) -> [String] {
        var raw: [String] = []
        switch v {
        case let .string(s)?: raw = s.split(separator: ",").map(String.init)
        case let .array(items)?: raw = items.compactMap(\.stringValue).flatMap { $0.split(separator: ",").map(String.init) }
        default: break
        }
        var seen = Set<String>()
        return raw.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && $0.lowercased() != "null" }
            .filter { seen.insert($0).inserted }
    }

    static func isHTTP(_ s: String) -> Bool {
        let l = s.lowercased()
        return (l.hasPrefix("https://") || l.hasPrefix("http://")) && l.count > 8
    }

    /// `error` as a string, an object with `message` (or `code`), or null.
    static func errorText(_ v: JSONValue?) -> String? {
        switch v {
        case let .string(s)?: return s.isEmpty ? nil : clean(s)
        case .object?:
            if let m = scalarText(v?["message"]), !m.isEmpty { return clean(m) }
            if let c = scalarText(v?["code"]), !c.isEmpty { return clean(c) }
            return clean(v?.serialized() ?? "")
        default: return nil
        }
    }

    static func scalarText(_ v: JSONValue?) -> String? {
        switch v {
        case let .string(s)?: return s
        case let .int(i)?: return String(i)
        case let .double(d)?: return String(d)
        case let .bool(b)?: return String(b)
        default: return nil
        }
    }

    static func clean(_ s: String) -> String { TerminalSanitizer.clean(s) }
}
