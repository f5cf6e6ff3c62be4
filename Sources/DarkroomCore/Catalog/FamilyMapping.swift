import Foundation

/// Carries a request across to the other kind of model: a NanoBanana request
/// (aspect ratio, tier in the model name) to gpt-image-2 (a size of a tier), and
/// back. Pure, and tested over every ratio, tier and size.
public enum FamilyMapping {
    /// The gpt-image-2 tier for a NanoBanana tier: 1K, 2K and 4K as they are; the
    /// base NanoBanana (no tier) and 0.5K become 1K, 8K becomes 4K (gpt-image-2's
    /// lowest and highest).
    public static func gptTier(for tier: Tier?) -> Tier {
        switch tier {
        case nil, .k05?, .k1?: return .k1
        case .k2?: return .k2
        case .k4?, .k8?: return .k4
        }
    }

    /// The gpt-image-2 size of `tier`'s gpt-image-2 tier whose shape is nearest to
    /// `ratio` (distance of the logarithms of width/height, so 2:1 and 1:2 are as
    /// far from 1:1). Among equally near sizes, the one whose long side is nearest
    /// the tier's nominal 1024, 2048 or 4096 pixels.
    public static func gptSize(for ratio: AspectRatio, tier: Tier?) -> GPTImageSize {
        let t = gptTier(for: tier)
        let nominal: Double = t == .k1 ? 1024 : t == .k2 ? 2048 : 4096
        let candidates = GPTImageSize.all.filter { $0.tier == t }
        func cost(_ s: GPTImageSize) -> (Double, Double) {
            (distance(s.aspect, ratio.value), abs(Double(max(s.width, s.height)) - nominal))
        }
        return candidates.min { a, b in
            let ca = cost(a), cb = cost(b)
            return ca.0 < cb.0 - 1e-9 || (abs(ca.0 - cb.0) <= 1e-9 && ca.1 < cb.1)
        }!
    }

    /// The NanoBanana aspect ratio nearest to a gpt-image-2 size's shape.
    public static func aspectRatio(for size: GPTImageSize) -> AspectRatio {
        AspectRatio.allCases.min { distance(size.aspect, $0.value) < distance(size.aspect, $1.value) }!
    }

    static func distance(_ a: Double, _ b: Double) -> Double { abs(log(a / b)) }

    /// A request mapped to the other family, and a sentence saying what changed.
    public struct Mapped: Sendable, Equatable {
        public var request: ImageRequest
        public var summary: String
    }

    /// Maps `r` to the other family: NanoBanana (any) to gpt-image-2, and
    /// gpt-image-2 to `nanoFamily` (default NanoBanana 2) at the size's tier. The
    /// prompt, n and reference images are kept; a format the new model cannot make
    /// becomes PNG. Nil when `r.model` is not in the catalog.
    public static func toOtherFamily(_ r: ImageRequest, nanoFamily: ModelFamily = .nanoBanana2) -> Mapped? {
        guard let model = Catalog.model(r.model) else { return nil }
        var out = r
        var notes: [String] = []
        if model.family == .gptImage2 {
            guard let size = r.size.flatMap(Catalog.size(named:)) else { return nil }
            let ratio = aspectRatio(for: size)
            let target = Catalog.models.first { $0.family == nanoFamily && $0.tier == size.tier }
                ?? Catalog.models.first { $0.family == .nanoBanana2 && $0.tier == size.tier }!
            out.model = target.id
            out.size = nil
            out.quality = nil
            out.aspectRatio = ratio.rawValue
            notes.append("\(size.name) (\(size.ratioLabel), \(size.tier.rawValue)) on gpt-image-2 → \(ratio.rawValue) on \(target.id)")
            if let f = r.outputFormat.flatMap(OutputFormat.init(rawValue:)), !target.outputFormats.contains(f) {
                out.outputFormat = OutputFormat.png.rawValue
                notes.append("\(f.rawValue) → png (\(target.id) makes \(target.outputFormats.map(\.rawValue).joined(separator: " or ")))")
            }
        } else {
            let ratio = r.aspectRatio.flatMap(AspectRatio.init(rawValue:)) ?? .r1x1
            let size = gptSize(for: ratio, tier: model.tier)
            out.model = Catalog.defaultModelID
            out.aspectRatio = nil
            out.size = size.name
            out.quality = r.quality ?? Quality.medium.rawValue
            notes.append("\(ratio.rawValue) on \(model.id) → \(size.name) (\(size.ratioLabel), \(size.tier.rawValue)) on gpt-image-2")
        }
        return Mapped(request: out, summary: notes.joined(separator: "; "))
    }
}
