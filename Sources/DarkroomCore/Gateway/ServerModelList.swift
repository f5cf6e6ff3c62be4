import Foundation

/// A model the server says this key may call (`GET /v1/models`).
public struct ServerModel: Sendable, Equatable {
    public var id: String
    public var ownedBy: String?
    /// new-api's `supported_endpoint_types` ("openai", "image-generation", ...); empty when not sent.
    public var endpointTypes: [String]

    public init(id: String, ownedBy: String? = nil, endpointTypes: [String] = []) {
        self.id = id
        self.ownedBy = ownedBy
        self.endpointTypes = endpointTypes
    }

    /// Whether the server says this model makes images: its endpoint types name
    /// image generation, or it sent none (then it cannot be told apart).
    public var makesImages: Bool {
        endpointTypes.isEmpty || endpointTypes.contains { $0.lowercased().contains("image") }
    }
}

/// The answer of `GET /v1/models`: OpenAI's list shape,
/// `{"object":"list","data":[{"id","object":"model","created","owned_by"}]}`,
/// with new-api's extras (`"success":true` and each model's
/// `supported_endpoint_types`). Read tolerantly: unknown members are ignored,
/// ids are cleaned of control characters, and a model without an id is skipped.
public struct ServerModelList: Sendable, Equatable {
    public var models: [ServerModel]

    public init(models: [ServerModel]) { self.models = models }

    public var ids: Set<String> { Set(models.map(\.id)) }

    public func contains(_ id: String) -> Bool { models.contains { $0.id == id } }

    /// The list in `body`, or why it is not one.
    public static func decode(_ json: JSONValue) -> Result<ServerModelList, GatewayAnswerError> {
        if case .bool(false)? = json["success"] {
            return .failure(.refused(TerminalSanitizer.clean(json["message"]?.stringValue ?? "success is false")))
        }
        guard let items = json["data"]?.arrayValue else { return .failure(.shape("no \"data\" list of models")) }
        var seen = Set<String>()
        var models: [ServerModel] = []
        for item in items {
            guard let raw = item["id"]?.stringValue else { continue }
            let id = TerminalSanitizer.clean(raw).trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty, id.utf8.count <= 200, seen.insert(id).inserted else { continue }
            let types = (item["supported_endpoint_types"]?.arrayValue ?? []).compactMap { $0.stringValue.map { TerminalSanitizer.clean($0) } }
            models.append(ServerModel(id: id, ownedBy: item["owned_by"]?.stringValue.map { TerminalSanitizer.clean($0) }, endpointTypes: types))
        }
        return .success(ServerModelList(models: models))
    }
}

/// Why a gateway route's answer was not used. Said once in the message log,
/// never as an error: darkroom then goes on with what it knows without it.
public enum GatewayAnswerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON at all (an HTML page, a proxy's error); the first bytes, cleaned.
    case notJSON(String)
    /// JSON, but not the expected shape.
    case shape(String)
    /// The gateway said no in its body (`"success": false`, `"code": false`), with its message.
    case refused(String)

    public var description: String {
        switch self {
        case let .notJSON(p): return "the answer is not JSON" + (p.isEmpty ? "" : " (it began \"\(p)\")")
        case let .shape(s): return "the answer is not in the gateway's shape: \(s)"
        case let .refused(m): return "the gateway said no: \(m)"
        }
    }

    /// The JSON in a body, or `notJSON` with its first bytes.
    public static func parse(_ body: [UInt8]) -> Result<JSONValue, GatewayAnswerError> {
        guard let json = try? JSONParser.parse(body) else { return .failure(.notJSON(TerminalSanitizer.preview(of: body, limit: 80))) }
        return .success(json)
    }
}
