/// Prices the user writes in the config file; darkroom never invents them.
///
/// ```toml
/// [prices]
/// currency = "$"            # printed before amounts (optional)
/// NanoBanana = 0.02         # per image, by model name
/// "NanoBanana2-0.5K" = 0.03 # names with dots need quotes
///
/// [prices.gpt-image-2]      # per image, by size and quality
/// "1024x1024/high" = 0.17
/// "1024x1024" = 0.04        # any quality
/// "*/low" = 0.01            # any size
/// "*" = 0.05                # anything else
/// ```
public struct PriceTable: Sendable, Equatable {
    public var currency: String
    /// Per image, by model name.
    public var models: [String: Double]
    /// Per gpt-image-2 image: `SIZE/QUALITY`, `SIZE`, `*/QUALITY` or `*`.
    public var gptImage2: [String: Double]

    public init(currency: String = "", models: [String: Double] = [:], gptImage2: [String: Double] = [:]) {
        self.currency = currency
        self.models = models
        self.gptImage2 = gptImage2
    }

    public var isEmpty: Bool { models.isEmpty && gptImage2.isEmpty }

    /// The price of one image of `r`, or nil when the table does not say. For
    /// gpt-image-2 the most specific entry wins: size and quality, size, quality,
    /// `*`, then a plain `gpt-image-2` model price.
    public func perImage(_ r: ImageRequest) -> Double? {
        if r.model == Catalog.defaultModelID {
            let size = r.size ?? "", quality = r.quality ?? Quality.medium.rawValue
            for key in ["\(size)/\(quality)", size, "*/\(quality)", "*"] { if let p = gptImage2[key] { return p } }
        }
        return models[r.model]
    }

    /// The estimated cost of `r` (per image times n), or nil.
    public func estimate(_ r: ImageRequest) -> Double? { perImage(r).map { $0 * Double(r.n) } }

    /// An amount as the config writes it: currency first, 2 decimals, or 3 below 0.1.
    public func format(_ amount: Double) -> String {
        currency + (amount < 0.1 && amount > 0 ? String(format: "%.3f", amount) : String(format: "%.2f", amount))
    }

    /// Billable units when there is no price: images times the tier's weight
    /// (1K counts 1, 2K 2, 4K 4, 8K 8, 0.5K half; the base NanoBanana counts 1).
    public static func billableUnits(_ r: ImageRequest) -> Double {
        let tier = r.size.flatMap(Catalog.size(named:))?.tier ?? Catalog.model(r.model)?.tier
        return Double(r.n) * (tier?.billableUnits ?? 1)
    }

    /// Reads `[prices]` and `[prices.gpt-image-2]`; amounts must be finite numbers of 0 or more.
    static func parse(_ root: TOMLValue) throws(ConfigError) -> PriceTable? {
        guard let prices = root["prices"] else { return nil }
        guard let members = prices.members else { throw .invalidFile("prices must be a table: [prices]") }
        var table = PriceTable()
        func amount(_ v: TOMLValue, _ what: String) throws(ConfigError) -> Double {
            guard let p = v.number, p.isFinite, p >= 0 else { throw .invalidFile("\(what) must be a number of 0 or more (a price per image)") }
            return p
        }
        for (key, v) in members {
            if key == "currency" {
                guard let s = v.string else { throw .invalidFile("[prices] currency must be a string in quotes") }
                table.currency = s
                continue
            }
            if key == "gpt-image-2", let sizes = v.members {
                for (size, price) in sizes {
                    let p = try amount(price, "[prices.gpt-image-2] \(size)")
                    let parts = size.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                    let sizeOK = parts[0] == "*" || Catalog.size(named: parts[0]) != nil
                    let qualityOK = parts.count == 1 || (parts.count == 2 && Quality(rawValue: parts[1]) != nil)
                    guard sizeOK, qualityOK else {
                        throw .invalidFile("[prices.gpt-image-2] \"\(size)\" must be SIZE, SIZE/QUALITY, */QUALITY or * (a size of gpt-image-2; quality low, medium or high)")
                    }
                    table.gptImage2[size] = p
                }
                continue
            }
            let p = try amount(v, "[prices] \(key)")
            guard Catalog.model(key) != nil else {
                throw .invalidFile("[prices] \(key) is not a model name (known: \(Catalog.models.map(\.id).joined(separator: ", ")))")
            }
            table.models[key] = p
        }
        return table
    }
}
