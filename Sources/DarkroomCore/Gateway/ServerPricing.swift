import Foundation

/// The gateway's prices (`GET /api/pricing`): each model's fixed price per
/// call (`quota_type` 1, `model_price` in dollars) or its token ratio
/// (`quota_type` 0, `model_ratio`), and each group's ratio (`group_ratio`).
///
/// The route reads a dashboard session, never the `sk-` key, so it prices for
/// no group in particular: darkroom uses the `default` group's ratio (or the
/// only group's, or 1) and says so in the cost line.
public struct ServerPricing: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// 0: priced by tokens (`model_ratio`); 1: a fixed price per call (`model_price`).
        public var quotaType: Int
        public var modelPrice: Double
        public var modelRatio: Double
        public var enableGroups: [String]
    }

    public var models: [String: Entry]
    public var groupRatio: [String: Double]

    public init(models: [String: Entry], groupRatio: [String: Double]) {
        self.models = models
        self.groupRatio = groupRatio
    }

    /// The group whose ratio prices a request: `default`, or the only one listed.
    public var group: String? {
        if groupRatio["default"] != nil { return "default" }
        return groupRatio.count == 1 ? groupRatio.keys.first : nil
    }

    /// The ratio applied (1 when the server lists no usable group).
    public var ratio: Double { group.flatMap { groupRatio[$0] } ?? 1 }

    /// The price of one image of `model` in dollars, or nil when the server has no
    /// fixed price for it (unlisted, or priced by tokens: a picture's tokens are
    /// not known before it is made).
    ///
    /// new-api charges a fixed-price image request `model_price × group ratio × n`
    /// (its image handler adds `n` as a ratio); size and quality change the price
    /// only for dall-e models, so a gpt-image-2 size does not change this estimate.
    public func perImage(model: String) -> Double? {
        guard let e = models[model], e.quotaType == 1, e.modelPrice.isFinite, e.modelPrice >= 0 else { return nil }
        return e.modelPrice * ratio
    }

    /// Why a model has no price here, for the cost line.
    public func whyNoPrice(model: String) -> String {
        guard let e = models[model] else { return "the server lists no price for \(model)" }
        return e.quotaType == 1 ? "the server's price for \(model) is not a number" : "the server prices \(model) by tokens, known only after"
    }

    /// Reads `/api/pricing`: `{"success":true,"data":[{"model_name","quota_type",
    /// "model_ratio","model_price","completion_ratio","enable_groups",...}],
    /// "group_ratio":{group:ratio},"usable_group":{...},...}`. Unknown members are
    /// ignored; an entry without a name is skipped.
    public static func decode(_ json: JSONValue) -> Result<ServerPricing, GatewayAnswerError> {
        if case .bool(false)? = json["success"] {
            return .failure(.refused(TerminalSanitizer.clean(json["message"]?.stringValue ?? "success is false")))
        }
        guard let items = json["data"]?.arrayValue else { return .failure(.shape("no \"data\" list of prices")) }
        var models: [String: Entry] = [:]
        for item in items {
            guard let name = item["model_name"]?.stringValue.map({ TerminalSanitizer.clean($0) }), !name.isEmpty else { continue }
            let price = item["model_price"]?.doubleValue ?? 0
            let type = item["quota_type"]?.intValue ?? (price > 0 ? 1 : 0)
            models[name] = Entry(quotaType: type, modelPrice: price, modelRatio: item["model_ratio"]?.doubleValue ?? 0,
                                 enableGroups: (item["enable_groups"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        var groups: [String: Double] = [:]
        if case let .object(members)? = json["group_ratio"] {
            for (k, v) in members { if let d = v.doubleValue, d.isFinite, d >= 0 { groups[TerminalSanitizer.clean(k)] = d } }
        }
        return .success(ServerPricing(models: models, groupRatio: groups))
    }
}
