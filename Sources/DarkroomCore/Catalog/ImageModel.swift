/// One model of the API with what it accepts. Values come from `Catalog.models`;
/// see `docs/API.md` for the source of every column.
public struct ImageModel: Sendable, Equatable, Hashable, Identifiable {
    /// The exact model name sent in `model` (`NanoBanana2-1K`, `gpt-image-2`).
    public let id: String
    public let family: ModelFamily
    /// The tier fixed by the model name, or nil for base NanoBanana (no tier) and
    /// gpt-image-2 (tier chosen by size).
    public let tier: Tier?
    /// Aspect ratios accepted; empty for gpt-image-2, which refuses `aspect_ratio`.
    public let aspectRatios: [AspectRatio]
    /// Output formats accepted; the first is the default (`png`).
    public let outputFormats: [OutputFormat]
    /// Qualities accepted; empty where `quality` is not used.
    public let qualities: [Quality]
    /// The largest `n` (images per task); the smallest is 1.
    public let maxN: Int

    public var takesSize: Bool { family == .gptImage2 }
    public var takesAspectRatio: Bool { !aspectRatios.isEmpty }
    public var takesQuality: Bool { !qualities.isEmpty }
    public var defaultQuality: Quality? { takesQuality ? .medium : nil }
    public var defaultFormat: OutputFormat { .png }
}
