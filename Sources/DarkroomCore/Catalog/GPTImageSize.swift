/// One of gpt-image-2's 48 sizes, as the vendor's page lists it (section 5.5).
public struct GPTImageSize: Sendable, Equatable, Hashable {
    public let width: Int
    public let height: Int
    /// The ratio as the page writes it (`16:9`, `9:21`).
    public let ratio: String
    /// True where the page says "approximately" (2048x1360, 3840x1648 and their portrait twins).
    public let approximate: Bool
    public let orientation: Orientation
    /// The tier as the page lists it, oddities kept: 2048x2048 is 4K, 2560x2048 is 2K.
    public let tier: Tier

    /// The value sent in `size`: `WIDTHxHEIGHT`.
    public var name: String { "\(width)x\(height)" }
    /// Width over height.
    public var aspect: Double { Double(width) / Double(height) }
    /// "4:3" or "3:2 (approx.)".
    public var ratioLabel: String { approximate ? "\(ratio) (approx.)" : ratio }
}

extension GPTImageSize {
    /// All 48 sizes in the page's order.
    public static let all: [GPTImageSize] = [
        GPTImageSize(width: 1024, height: 768, ratio: "4:3", approximate: false, orientation: .landscape, tier: .k1),
        GPTImageSize(width: 768, height: 1024, ratio: "3:4", approximate: false, orientation: .portrait, tier: .k1),
        GPTImageSize(width: 1344, height: 1024, ratio: "4:3", approximate: false, orientation: .landscape, tier: .k1),
        GPTImageSize(width: 1024, height: 1344, ratio: "3:4", approximate: false, orientation: .portrait, tier: .k1),
        GPTImageSize(width: 1280, height: 1024, ratio: "5:4", approximate: false, orientation: .landscape, tier: .k1),
        GPTImageSize(width: 1024, height: 1280, ratio: "4:5", approximate: false, orientation: .portrait, tier: .k1),
        GPTImageSize(width: 1360, height: 768, ratio: "16:9", approximate: false, orientation: .landscape, tier: .k1),
        GPTImageSize(width: 768, height: 1360, ratio: "9:16", approximate: false, orientation: .portrait, tier: .k1),
        GPTImageSize(width: 1536, height: 864, ratio: "16:9", approximate: false, orientation: .landscape, tier: .k1),
        GPTImageSize(width: 864, height: 1536, ratio: "9:16", approximate: false, orientation: .portrait, tier: .k1),
        GPTImageSize(width: 1024, height: 1024, ratio: "1:1", approximate: false, orientation: .square, tier: .k1),
        GPTImageSize(width: 1536, height: 1024, ratio: "3:2", approximate: false, orientation: .landscape, tier: .k1),
        GPTImageSize(width: 1024, height: 1536, ratio: "2:3", approximate: false, orientation: .portrait, tier: .k1),
        GPTImageSize(width: 2048, height: 1024, ratio: "2:1", approximate: false, orientation: .landscape, tier: .k1),
        GPTImageSize(width: 1024, height: 2048, ratio: "1:2", approximate: false, orientation: .portrait, tier: .k1),
        GPTImageSize(width: 2016, height: 864, ratio: "21:9", approximate: false, orientation: .landscape, tier: .k1),
        GPTImageSize(width: 864, height: 2016, ratio: "9:21", approximate: false, orientation: .portrait, tier: .k1),
        GPTImageSize(width: 1920, height: 1080, ratio: "16:9", approximate: false, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 1080, height: 1920, ratio: "9:16", approximate: false, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 1536, height: 1536, ratio: "1:1", approximate: false, orientation: .square, tier: .k2),
        GPTImageSize(width: 2048, height: 1360, ratio: "3:2", approximate: true, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 1360, height: 2048, ratio: "2:3", approximate: true, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 2048, height: 1536, ratio: "4:3", approximate: false, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 1536, height: 2048, ratio: "3:4", approximate: false, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 2160, height: 1440, ratio: "3:2", approximate: false, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 1440, height: 2160, ratio: "2:3", approximate: false, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 2048, height: 1152, ratio: "16:9", approximate: false, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 1152, height: 2048, ratio: "9:16", approximate: false, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 2688, height: 1344, ratio: "2:1", approximate: false, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 1344, height: 2688, ratio: "1:2", approximate: false, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 2688, height: 1152, ratio: "21:9", approximate: false, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 1152, height: 2688, ratio: "9:21", approximate: false, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 2560, height: 1440, ratio: "16:9", approximate: false, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 1440, height: 2560, ratio: "9:16", approximate: false, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 2048, height: 2048, ratio: "1:1", approximate: false, orientation: .square, tier: .k4),
        GPTImageSize(width: 2560, height: 2048, ratio: "5:4", approximate: false, orientation: .landscape, tier: .k2),
        GPTImageSize(width: 2048, height: 2560, ratio: "4:5", approximate: false, orientation: .portrait, tier: .k2),
        GPTImageSize(width: 2880, height: 2880, ratio: "1:1", approximate: false, orientation: .square, tier: .k4),
        GPTImageSize(width: 3264, height: 2448, ratio: "4:3", approximate: false, orientation: .landscape, tier: .k4),
        GPTImageSize(width: 2448, height: 3264, ratio: "3:4", approximate: false, orientation: .portrait, tier: .k4),
        GPTImageSize(width: 3504, height: 2336, ratio: "3:2", approximate: false, orientation: .landscape, tier: .k4),
        GPTImageSize(width: 2336, height: 3504, ratio: "2:3", approximate: false, orientation: .portrait, tier: .k4),
        GPTImageSize(width: 3840, height: 1920, ratio: "2:1", approximate: false, orientation: .landscape, tier: .k4),
        GPTImageSize(width: 1920, height: 3840, ratio: "1:2", approximate: false, orientation: .portrait, tier: .k4),
        GPTImageSize(width: 3840, height: 1648, ratio: "21:9", approximate: true, orientation: .landscape, tier: .k4),
        GPTImageSize(width: 1648, height: 3840, ratio: "9:21", approximate: true, orientation: .portrait, tier: .k4),
        GPTImageSize(width: 3840, height: 2160, ratio: "16:9", approximate: false, orientation: .landscape, tier: .k4),
        GPTImageSize(width: 2160, height: 3840, ratio: "9:16", approximate: false, orientation: .portrait, tier: .k4),
    ]
}
