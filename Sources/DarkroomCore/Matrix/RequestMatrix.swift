/// One idea, many ways: a request whose prompt may hold alternatives and whose
/// model, size, aspect ratio and quality may each hold several values, expanded
/// to every request it stands for.
///
/// A value applies to the models that take it: sizes and qualities to
/// gpt-image-2, aspect ratios to NanoBanana. A model that takes none of the
/// chosen values of its kind gets the nearest legal one by the same family
/// mapping as `m` (a ratio becomes the gpt-image-2 size nearest in shape, a size
/// the nearest ratio), and a note says so. Identical requests are made once.
/// Each request is still validated by `RequestValidator` before anything is sent.
public struct RequestMatrix: Sendable, Equatable {
    /// Everything else of the requests (prompt with its alternatives, n, format, references).
    public var base: ImageRequest
    /// Empty: `base.model` alone; likewise for the others.
    public var models: [String]
    public var sizes: [String]
    public var aspectRatios: [String]
    public var qualities: [String]
    /// Each request is made once per style (empty: none; the base's own `style`,
    /// if any, is left as it is). Several make an axis named "style".
    public var styles: [PromptStyle]
    /// The wildcard files `{@name}` reads (default: none, so a prompt using one
    /// fails with a message saying there is no such file).
    public var wildcards: WildcardSet

    /// The most requests one matrix may make (default 200).
    public static let limit = 200

    /// More requests than this are sent only once confirmed (a `y`, or `--yes`),
    /// in the CLI and the TUI alike.
    public static let confirmAbove = 4

    public init(base: ImageRequest, models: [String] = [], sizes: [String] = [], aspectRatios: [String] = [], qualities: [String] = [],
                styles: [PromptStyle] = [], wildcards: WildcardSet = WildcardSet()) {
        self.base = base
        self.styles = styles
        self.wildcards = wildcards
        self.models = models
        self.sizes = sizes
        self.aspectRatios = aspectRatios
        self.qualities = qualities
    }

    /// What a matrix stands for.
    public struct Expansion: Sendable, Equatable {
        public var requests: [ImageRequest]
        /// "NanoBanana2-1K takes no size: 1536x1024 sent as 3:2", once each.
        public var notes: [String]
        /// The things that vary between the requests, in order (prompt, each wildcard
        /// as "@name", style, model, size, aspect ratio, quality), each with its
        /// values: what a comparison lays out. The prompt's values are the prompts
        /// as typed with each wildcard left as `{@name}` (so a wildcard is not
        /// counted twice); "@name"'s are the file's lines; "style"'s the names.
        public var axes: [(name: String, values: [String])]

        public static func == (a: Expansion, b: Expansion) -> Bool {
            a.requests == b.requests && a.notes == b.notes && a.axes.map(\.name) == b.axes.map(\.name) && a.axes.map(\.values) == b.axes.map(\.values)
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case prompt(String)
        case tooMany(Int)
        public var description: String {
            switch self {
            case let .prompt(m): "--prompt: \(m)"
            case let .tooMany(n): "these choices make \(n) requests; at most \(RequestMatrix.limit) at once"
            }
        }
    }

    /// How many requests, before any are made (identical ones not yet merged):
    /// prompts (alternatives times wildcard lines) times styles times the models'
    /// shapes and qualities. Cheap (no request is made); saturates at `Int.max`.
    public var count: Int {
        let prompts = PromptAlternatives.count(base.prompt, wildcards: wildcards)
        let ms = models.isEmpty ? [base.model] : models
        let each = ms.reduce(0) { n, m in
            let model = Catalog.model(m)
            if model?.takesSize ?? false { return n + max(1, sizes.isEmpty ? aspectRatios.count : sizes.count) * max(1, qualities.count) }
            return n + max(1, aspectRatios.isEmpty ? sizes.count : aspectRatios.count)
        }
        return PromptAlternatives.multiplied(PromptAlternatives.multiplied(prompts, max(1, styles.count)), each)
    }

    /// Every request, or why there are none: more than `limit` (refused before
    /// any is made), or a prompt that cannot be read (a broken group, a wildcard
    /// file missing, empty or with a control character: the message names the
    /// file and the line).
    public func expand() throws(Failure) -> Expansion {
        let n = count
        guard n <= Self.limit else { throw .tooMany(n) }
        let variants: [PromptAlternatives.Variant]
        do { variants = try PromptAlternatives.variants(base.prompt, wildcards: wildcards) } catch { throw .prompt(error.message) }
        var made: [(request: ImageRequest, variant: PromptAlternatives.Variant)] = []
        var notes: [String] = []
        func note(_ s: String) { if !notes.contains(s) { notes.append(s) } }
        let styleChoices: [PromptStyle?] = styles.isEmpty ? [nil] : styles.map(Optional.some)
        for variant in variants {
            for style in styleChoices {
                for m in models.isEmpty ? [base.model] : models {
                    var r = base
                    r.prompt = variant.prompt
                    if let style {
                        r.style = nil
                        r = r.styled(style)
                    }
                    r.model = m
                    guard let model = Catalog.model(m) else {
                        // Not in the catalog: as given (the validator says whether it may be sent).
                        r.size = sizes.first ?? base.size
                        r.aspectRatio = aspectRatios.first ?? base.aspectRatio
                        r.quality = qualities.first ?? base.quality
                        made.append((r, variant))
                        continue
                    }
                    if model.takesSize {
                        r.aspectRatio = nil
                        var shapes = sizes
                        if shapes.isEmpty, !aspectRatios.isEmpty {
                            shapes = aspectRatios.map { a in
                                guard let ratio = AspectRatio(rawValue: a) else { return a }
                                let s = FamilyMapping.gptSize(for: ratio, tier: nil).name
                                note("\(m) takes no aspect ratio: \(a) sent as \(s)")
                                return s
                            }
                        }
                        for size in shapes.isEmpty ? [base.size] : shapes.map(Optional.some) {
                            for q in qualities.isEmpty ? [base.quality] : qualities.map(Optional.some) {
                                r.size = size
                                r.quality = q
                                made.append((r, variant))
                            }
                        }
                    } else {
                        r.size = nil
                        if !qualities.isEmpty { note("\(m) takes no quality: \(qualities.joined(separator: ", ")) left out") }
                        r.quality = nil
                        var ratios = aspectRatios
                        if ratios.isEmpty, !sizes.isEmpty {
                            ratios = sizes.map { s in
                                guard let size = Catalog.size(named: s) else { return s }
                                let a = FamilyMapping.aspectRatio(for: size).rawValue
                                note("\(m) takes no size: \(s) sent as \(a)")
                                return a
                            }
                        }
                        for a in ratios.isEmpty ? [base.aspectRatio] : ratios.map(Optional.some) {
                            r.aspectRatio = a
                            made.append((r, variant))
                        }
                    }
                }
            }
        }
        var seen = Set<String>()
        made = made.filter { m in
            let r = m.request
            return seen.insert("\(r.model)|\(r.prompt)|\(r.style?.name ?? "")|\(r.size ?? "")|\(r.aspectRatio ?? "")|\(r.quality ?? "")").inserted
        }
        let requests = made.map(\.request)
        var axes: [(String, [String])] = []
        func axis(_ name: String, _ values: [String]) {
            var distinct: [String] = []
            for v in values where !distinct.contains(v) { distinct.append(v) }
            if distinct.count > 1 { axes.append((name, distinct)) }
        }
        axis("prompt", made.map(\.variant.template))
        for name in PromptAlternatives.wildcardNames(base.prompt) {
            axis("@" + name, made.flatMap { $0.variant.picks.filter { $0.name == name }.map(\.line) })
        }
        axis("style", requests.compactMap { styles.isEmpty ? nil : $0.style?.name })
        axis("model", requests.map(\.model))
        axis("size", requests.compactMap(\.size))
        axis("aspect ratio", requests.compactMap(\.aspectRatio))
        axis("quality", requests.compactMap(\.quality))
        return Expansion(requests: requests, notes: notes, axes: axes)
    }
}

extension RequestMatrix {
    /// " (2 prompts × 3 qualities)" for a run of `requests` with these axes, or
    /// empty when nothing varies. Sizes (gpt-image-2) and aspect ratios
    /// (NanoBanana) of a run with both families count as one thing, "shapes";
    /// when the counts do not multiply to the number of requests (values that
    /// apply to some models only), they are listed with commas, not as a product.
    public static func describe(_ axes: [(name: String, values: [String])], requests: Int) -> String {
        var counts = axes.map { ($0.name, $0.values.count) }
        if let s = counts.firstIndex(where: { $0.0 == "size" }), let a = counts.firstIndex(where: { $0.0 == "aspect ratio" }) {
            counts[s] = ("shape", max(counts[s].1, counts[a].1))
            counts.remove(at: a)
        }
        guard !counts.isEmpty else { return "" }
        let product = counts.reduce(1) { $0 * $1.1 } == requests
        return " (" + counts.map { "\($0.1) \(plural($0.0, $0.1))" }.joined(separator: product ? " × " : ", ") + ")"
    }

    static func plural(_ word: String, _ n: Int) -> String {
        // A wildcard's axis is named after its file ("3 @colors").
        guard n != 1, !word.hasPrefix("@") else { return word }
        return word.hasSuffix("y") ? String(word.dropLast()) + "ies" : word + "s"
    }
}
