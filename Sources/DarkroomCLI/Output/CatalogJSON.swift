import DarkroomCore

/// `darkroom models --json`: the catalog as an array of model objects.
enum CatalogJSON {
    static func models() -> JSONValue {
        .array(Catalog.models.map { m in
            let sizes: [JSONValue] = m.takesSize ? GPTImageSize.all.map { s in
                .object([("size", .string(s.name)), ("width", .int(s.width)), ("height", .int(s.height)),
                         ("ratio", .string(s.ratio)), ("approximate", .bool(s.approximate)),
                         ("orientation", .string(s.orientation.rawValue)), ("tier", .string(s.tier.rawValue))])
            } : []
            return .object([
                ("id", .string(m.id)), ("family", .string(m.family.rawValue)),
                ("tier", m.tier.map { .string($0.rawValue) } ?? .null),
                ("aspect_ratios", .array(m.aspectRatios.map { .string($0.rawValue) })),
                ("output_formats", .array(m.outputFormats.map { .string($0.rawValue) })),
                ("qualities", .array(m.qualities.map { .string($0.rawValue) })),
                ("max_n", .int(m.maxN)),
                ("sizes", .array(sizes)),
            ])
        })
    }

    /// The human table.
    static func text() -> String {
        var lines: [String] = []
        lines.append("MODEL              FAMILY          TIER   FORMATS          TAKES")
        for m in Catalog.models {
            let takes = m.takesSize ? "size (required), quality low|medium|high (default medium), n 1-8"
                                    : "aspect ratio, n 1-8 (upstream may return fewer)"
            lines.append(pad(m.id, 19) + pad(m.family.displayName, 16) + pad(m.tier?.rawValue ?? (m.takesSize ? "by size" : "-"), 7)
                         + pad(m.outputFormats.map(\.rawValue).joined(separator: ","), 17) + takes)
        }
        lines.append("")
        lines.append("Aspect ratios (NanoBanana families): " + AspectRatio.allCases.map(\.rawValue).joined(separator: " "))
        lines.append("")
        lines.append("gpt-image-2 sizes:")
        for tier in Catalog.tiers(of: .gptImage2) {
            lines.append("  \(tier.rawValue):")
            for s in Catalog.sizes(ofTier: tier) {
                lines.append("    " + pad(s.name, 11) + pad(s.ratioLabel, 16) + s.orientation.rawValue)
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ w: Int) -> String {
        s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count)
    }
}
