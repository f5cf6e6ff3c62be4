import Foundation

/// The model catalog: every model of `docs/API.md` with its capabilities, and the
/// questions a user interface asks of it. Pure values and functions.
public enum Catalog {
    private static let nanoFormats: [OutputFormat] = [.png, .jpeg]
    private static let allRatios = AspectRatio.allCases

    /// All ten models in the page's order.
    public static let models: [ImageModel] = [
        ImageModel(id: "NanoBanana", family: .nanoBanana, tier: nil, aspectRatios: allRatios,
                   outputFormats: [.png, .jpeg, .webp], qualities: [], maxN: 8),
        nano2(.k05), nano2(.k1), nano2(.k2), nano2(.k4),
        pro(.k1), pro(.k2), pro(.k4), pro(.k8),
        ImageModel(id: "gpt-image-2", family: .gptImage2, tier: nil, aspectRatios: [],
                   outputFormats: [.png, .jpeg, .webp], qualities: Quality.allCases, maxN: 8),
    ]

    private static func nano2(_ t: Tier) -> ImageModel {
        ImageModel(id: "NanoBanana2-\(t.rawValue)", family: .nanoBanana2, tier: t, aspectRatios: allRatios,
                   outputFormats: nanoFormats, qualities: [], maxN: 8)
    }

    private static func pro(_ t: Tier) -> ImageModel {
        ImageModel(id: "NanoBananaPro-\(t.rawValue)", family: .nanoBananaPro, tier: t, aspectRatios: allRatios,
                   outputFormats: nanoFormats, qualities: [], maxN: 8)
    }

    /// The model used when nothing else is configured.
    public static let defaultModelID = "gpt-image-2"
    /// The size offered first for gpt-image-2.
    public static let defaultSize = "1024x1024"

    /// The model with exactly this name (names are case-sensitive on the platform).
    public static func model(_ id: String) -> ImageModel? {
        models.first { $0.id == id }
    }

    /// A model whose name matches ignoring case, to suggest a correction.
    public static func suggestion(for id: String) -> ImageModel? {
        let lower = id.lowercased()
        return models.first { $0.id.lowercased() == lower }
            ?? models.first { $0.id.lowercased().hasPrefix(lower) && !lower.isEmpty }
    }

    /// The models of a family, in page order.
    public static func models(of family: ModelFamily) -> [ImageModel] {
        models.filter { $0.family == family }
    }

    /// The tiers a family offers, smallest first. Base NanoBanana has none;
    /// gpt-image-2's come from its sizes (1K, 2K, 4K).
    public static func tiers(of family: ModelFamily) -> [Tier] {
        if family == .gptImage2 { return Tier.allCases.filter { t in GPTImageSize.all.contains { $0.tier == t } } }
        return models(of: family).compactMap(\.tier)
    }

    /// The models that produce images of a tier: NanoBanana variants of that tier,
    /// and gpt-image-2 when it has sizes of that tier.
    public static func models(ofTier tier: Tier) -> [ImageModel] {
        models.filter { m in
            m.family == .gptImage2 ? GPTImageSize.all.contains { $0.tier == tier } : m.tier == tier
        }
    }

    /// gpt-image-2 sizes of a tier, optionally of one orientation, in page order.
    public static func sizes(ofTier tier: Tier? = nil, orientation: Orientation? = nil) -> [GPTImageSize] {
        GPTImageSize.all.filter { s in
            (tier == nil || s.tier == tier) && (orientation == nil || s.orientation == orientation)
        }
    }

    /// The gpt-image-2 size named `WIDTHxHEIGHT`, if it is in the table.
    public static func size(named name: String) -> GPTImageSize? {
        let n = name.lowercased().replacingOccurrences(of: "×", with: "x")
        return GPTImageSize.all.first { $0.name == n }
    }

    /// The output formats a model takes (nil for unknown models).
    public static func outputFormats(of modelID: String) -> [OutputFormat]? {
        model(modelID)?.outputFormats
    }
}
