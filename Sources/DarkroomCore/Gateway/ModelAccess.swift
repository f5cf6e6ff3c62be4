import Foundation

/// Whether this key may call a model, as far as darkroom knows.
public enum ModelAvailability: Sendable, Equatable {
    /// In the server's list for this key.
    case available
    /// A catalog model the server's list for this key leaves out.
    case unavailable
    /// The server's list is not known (never fetched, or `/v1/models` is off): assumed callable.
    case notChecked
    /// Offered by the server but not in darkroom's catalog: no rules, sent only with `--allow-unknown-model`.
    case unknownToDarkroom

    /// One word for lists and `--json`: available, unavailable, not-checked, unknown.
    public var word: String {
        switch self {
        case .available: return "available"
        case .unavailable: return "unavailable"
        case .notChecked: return "not-checked"
        case .unknownToDarkroom: return "unknown"
        }
    }
}

/// One model of the merged list: the catalog's rules, the server's word.
public struct ModelChoice: Sendable, Equatable {
    public var id: String
    /// The catalog's model (its sizes, tiers, ratios); nil for a model only the server knows.
    public var model: ImageModel?
    public var availability: ModelAvailability

    public init(id: String, model: ImageModel?, availability: ModelAvailability) {
        self.id = id
        self.model = model
        self.availability = availability
    }
}

/// The catalog merged with the models the server says this key may call
/// (`GET /v1/models`). The catalog still owns every rule; the server only says
/// which models the key may use. Without a server list every catalog model is
/// `notChecked` and usable, as before.
public struct ModelAccess: Sendable, Equatable {
    public var server: ServerModelList?
    /// When the server's list was fetched.
    public var at: Date?

    public init(server: ServerModelList? = nil, at: Date? = nil) {
        self.server = server
        self.at = at
    }

    public init(_ facts: GatewayFacts) {
        self.init(server: facts.models, at: facts.modelsAt)
    }

    public func availability(of id: String) -> ModelAvailability {
        guard let server else { return Catalog.model(id) == nil ? .unknownToDarkroom : .notChecked }
        if Catalog.model(id) == nil { return .unknownToDarkroom }
        return server.contains(id) ? .available : .unavailable
    }

    /// The catalog in its order, then the server's image models darkroom has no rules for.
    public var choices: [ModelChoice] {
        var out = Catalog.models.map { ModelChoice(id: $0.id, model: $0, availability: availability(of: $0.id)) }
        for m in server?.models ?? [] where Catalog.model(m.id) == nil && m.makesImages {
            out.append(ModelChoice(id: m.id, model: nil, availability: .unknownToDarkroom))
        }
        return out
    }

    /// The server's models that do not make images (chat, embeddings...), counted but not offered.
    public var otherServerModels: [ServerModel] {
        (server?.models ?? []).filter { Catalog.model($0.id) == nil && !$0.makesImages }
    }

    /// Why `request` may not be sent to this key, or nil. A catalog model the
    /// key's list leaves out is refused unless the request allows unknown models
    /// (the list may be older than the key's new rights: `models --refresh`).
    /// `now` dates the list in the message ("2m ago"); nil leaves the age out.
    /// `brief` (the TUI, whose pickers mark the models) leaves out the models the key may use and the flag.
    public func problem(for request: ImageRequest, now: Date? = nil, brief: Bool = false) -> ValidationProblem? {
        let id = request.model.trimmingCharacters(in: .whitespaces)
        guard availability(of: id) == .unavailable, !request.allowUnknownModel else { return nil }
        if brief { return ValidationProblem(.model, "this key may not use \(id) (the server's list of its models leaves it out; F5 asks again)") }
        let usable = choices.filter { $0.availability == .available }.map(\.id)
        let age = at.flatMap { at in now.map { " (GET /v1/models, \(TimeText.age($0.timeIntervalSince(at))) ago)" } } ?? ""
        return ValidationProblem(.model, "this key may not use \(id): the server's list of its models leaves it out\(age). "
            + (usable.isEmpty ? "" : "It may use \(usable.joined(separator: ", ")). ")
            + "`darkroom models --refresh` asks again; --allow-unknown-model sends it anyway")
    }
}

extension RunPlan {
    /// The plan with a problem on each request whose model the key may not use
    /// (`ModelAccess.problem`); those requests are no longer valid.
    public func allowed(by access: ModelAccess, now: Date? = nil, brief: Bool = false) -> RunPlan {
        var p = self
        for (i, r) in requests.enumerated() {
            if let problem = access.problem(for: r, now: now, brief: brief) {
                p.problems[i].append(problem)
                p.valid[i] = nil
            }
        }
        return p
    }
}
