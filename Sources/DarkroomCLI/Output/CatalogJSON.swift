import DarkroomCore
import Foundation

/// `darkroom models --json`: the catalog as an array of model objects.
enum CatalogJSON {
    /// Where the availability came from: the route and its time, or nil (not checked).
    struct Source {
        var route: GatewayRoute?
        var at: Date?
        /// Read from the profile's cache rather than asked now.
        var cached: Bool
    }

    /// A request for one picture of `id`, to price it (gpt-image-2 at its first size).
    static func sample(_ id: String) -> ImageRequest {
        ImageRequest(model: id, prompt: "", size: Catalog.model(id)?.takesSize == true ? Catalog.defaultSize : nil)
    }

    static func models(access: ModelAccess, prices: Prices, source: Source) -> JSONValue {
        let from: JSONValue = source.route.map { route in
            .object([("route", .string(route.label)), ("fetched_at", source.at.map { .string(TimeText.iso8601($0)) } ?? .null),
                     ("cached", .bool(source.cached))])
        } ?? .null
        return .array(access.choices.map { choice in
            var members: [(String, JSONValue)] = [("id", .string(choice.id))]
            if let m = choice.model {
                let sizes: [JSONValue] = m.takesSize ? GPTImageSize.all.map { s in
                    .object([("size", .string(s.name)), ("width", .int(s.width)), ("height", .int(s.height)),
                             ("ratio", .string(s.ratio)), ("approximate", .bool(s.approximate)),
                             ("orientation", .string(s.orientation.rawValue)), ("tier", .string(s.tier.rawValue))])
                } : []
                members += [
                    ("family", .string(m.family.rawValue)),
                    ("tier", m.tier.map { .string($0.rawValue) } ?? .null),
                    ("aspect_ratios", .array(m.aspectRatios.map { .string($0.rawValue) })),
                    ("output_formats", .array(m.outputFormats.map { .string($0.rawValue) })),
                    ("qualities", .array(m.qualities.map { .string($0.rawValue) })),
                    ("max_n", .int(m.maxN)),
                    ("sizes", .array(sizes)),
                ]
            } else {
                members += [("family", .null), ("tier", .null)]
            }
            let price = prices.perImage(sample(choice.id))
            members += [
                ("in_catalog", .bool(choice.model != nil)),
                ("availability", .string(choice.availability.word)),
                ("availability_source", choice.availability == .notChecked ? .null : from),
                ("price_per_image", price.map { .double(($0.amount * 10_000).rounded() / 10_000) } ?? .null),
                ("price_source", price.map { .string($0.source.text) } ?? .null),
            ]
            return .object(members)
        })
    }

    /// The human table: one line per model with whether the key may use it, then
    /// the server's image models darkroom has no rules for, then the sizes.
    static func text(access: ModelAccess, prices: Prices, source: Source) -> String {
        var lines: [String] = []
        lines.append("MODEL              FAMILY          TIER     FORMATS          KEY MAY USE   PRICE    TAKES")
        for choice in access.choices {
            guard let m = choice.model else { continue }
            let takes = m.takesSize ? "size (required), quality low|medium|high (default medium), n 1-8"
                                    : "aspect ratio, n 1-8 (upstream may return fewer)"
            let may: String
            switch choice.availability {
            case .available: may = "yes"
            case .unavailable: may = "NO"
            default: may = "not checked"
            }
            let price = prices.perImage(sample(m.id)).map { prices.format($0.amount, source: $0.source) } ?? "-"
            lines.append(pad(m.id, 19) + pad(m.family.displayName, 16) + pad(m.tier?.rawValue ?? (m.takesSize ? "by size" : "-"), 9)
                         + pad(m.outputFormats.map(\.rawValue).joined(separator: ","), 17) + pad(may, 14) + pad(price, 9) + takes)
        }
        let unknown = access.choices.filter { $0.model == nil }
        if !unknown.isEmpty {
            lines.append("")
            lines.append("The server also offers (darkroom has no rules for them; send with --allow-unknown-model):")
            for c in unknown {
                let price = prices.perImage(sample(c.id)).map { "  " + prices.format($0.amount, source: $0.source) + " per image" } ?? ""
                lines.append("  " + c.id + price)
            }
        }
        let others = access.otherServerModels
        if !others.isEmpty {
            lines.append("(and \(others.count) model\(others.count == 1 ? "" : "s") that do\(others.count == 1 ? "es" : "") not make images: \(others.prefix(5).map(\.id).joined(separator: ", "))\(others.count > 5 ? ", ..." : ""))")
        }
        lines.append("")
        if let route = source.route {
            lines.append("Which models the key may use: \(route.label)" + (source.at.map { ", asked \(TimeText.iso8601($0))" } ?? "")
                         + (source.cached ? " (kept; --refresh asks again)" : ""))
        }
        let sourcesOfPrices = Set(access.choices.compactMap { prices.perImage(sample($0.id))?.source.text })
        if !sourcesOfPrices.isEmpty { lines.append("Prices per image: " + sourcesOfPrices.sorted().joined(separator: ", ")) }
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
