/// The model families of the image-task API. A family decides which parameters
/// a request may carry: the NanoBanana families take an aspect ratio, gpt-image-2
/// takes a size and a quality.
public enum ModelFamily: String, CaseIterable, Sendable, Codable {
    case nanoBanana = "NanoBanana"
    case nanoBanana2 = "NanoBanana2"
    case nanoBananaPro = "NanoBananaPro"
    case gptImage2 = "gpt-image-2"

    /// True for the three NanoBanana families, where the tier is part of the model name.
    public var isNanoBanana: Bool { self != .gptImage2 }

    /// A short name for menus.
    public var displayName: String {
        switch self {
        case .nanoBanana: return "NanoBanana"
        case .nanoBanana2: return "NanoBanana 2"
        case .nanoBananaPro: return "NanoBanana Pro"
        case .gptImage2: return "gpt-image-2"
        }
    }
}

/// A resolution tier. For NanoBanana families the tier *is* the model
/// (`NanoBanana2-1K`); for gpt-image-2 it comes from the chosen size.
public enum Tier: String, CaseIterable, Sendable, Codable, Comparable {
    case k05 = "0.5K"
    case k1 = "1K"
    case k2 = "2K"
    case k4 = "4K"
    case k8 = "8K"

    private var rank: Int { Tier.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Tier, b: Tier) -> Bool { a.rank < b.rank }

    /// How many 1K-equivalents one image of this tier counts for, used to show billable
    /// units when no price table is configured (0.5K counts as half).
    public var billableUnits: Double {
        switch self {
        case .k05: return 0.5
        case .k1: return 1
        case .k2: return 2
        case .k4: return 4
        case .k8: return 8
        }
    }
}

/// An image file format the API can return (`output_format`).
public enum OutputFormat: String, CaseIterable, Sendable, Codable {
    case png, jpeg, webp

    /// The file extension used when saving (`jpeg` is saved as `.jpg`).
    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    public var mimeType: String { "image/\(rawValue)" }
}

/// gpt-image-2's quality setting. Defaults to `medium`.
public enum Quality: String, CaseIterable, Sendable, Codable {
    case low, medium, high
}

/// The two task types of the API. When a request leaves it out, it is inferred
/// from the presence of a reference image.
public enum TaskType: String, CaseIterable, Sendable, Codable {
    case text2image, image2image
}

/// An aspect ratio of the NanoBanana families (page section 9 lists ten).
public enum AspectRatio: String, CaseIterable, Sendable, Codable {
    case r1x1 = "1:1"
    case r2x3 = "2:3"
    case r3x2 = "3:2"
    case r3x4 = "3:4"
    case r4x3 = "4:3"
    case r4x5 = "4:5"
    case r5x4 = "5:4"
    case r9x16 = "9:16"
    case r16x9 = "16:9"
    case r21x9 = "21:9"

    /// Width over height (`16:9` is about 1.78).
    public var value: Double {
        let parts = rawValue.split(separator: ":").compactMap { Double($0) }
        return parts.count == 2 && parts[1] > 0 ? parts[0] / parts[1] : 1
    }
}

/// Orientation of a gpt-image-2 size.
public enum Orientation: String, CaseIterable, Sendable, Codable {
    case landscape = "Landscape"
    case portrait = "Portrait"
    case square = "Square"
}
