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

    /// The most requests one matrix may make (default 200).
    public static let limit = 200

    /// More requests than this are sent only once confirmed (a `y`, or `--yes`),
    /// in the CLI and the TUI alike.
    public static let confirmAbove = 4

    public init(base: ImageRequest, models: [String] = [], sizes: [String] = [], aspectRatios: [String] = [], qualities: [String] = []) {
        self.base = base
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
        /// The things that vary between the requests, in order (prompt, model, size,
        /// aspect ratio, quality), each with its values: what a comparison lays out.
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

    /// How many requests, before any are made (identical ones not yet merged).
    public var count: Int {
        let prompts = PromptAlternatives.count(base.prompt)
        let ms = models.isEmpty ? [base.model] : models
        return prompts * ms.reduce(0) { n, m in
            let model = Catalog.model(m)
            if model?.takesSize ?? false { return n + max(1, sizes.isEmpty ? aspectRatios.count : sizes.count) * max(1, qualities.count) }
            return n + max(1, aspectRatios.isEmpty ? sizes.count : aspectRatios.count)
        }
    }

    public func expand() throws(Failure) -> Expansion {
        let n = count
        guard n <= Self.limit else { throw .tooMany(n) }
        let prompts: [String]
        do { prompts = try PromptAlternatives.expand(base.prompt) } catch { throw .prompt(error.message) }
        var requests: [ImageRequest] = []
        var notes: [String] = []
        func note(_ s: String) { if !notes.contains(s) { notes.append(s) } }
        for prompt in prompts {
            for m in models.isEmpty ? [base.model] : models {
                var r = base
                r.prompt = prompt
                r.model = m
                guard let model = Catalog.model(m) else {
                    // Not in the catalog: as given (the validator says whether it may be sent).
                    r.size = sizes.first ?? base.size
                    r.aspectRatio = aspectRatios.first ?? base.aspectRatio
                    r.quality = qualities.first ?? base.quality
                    requests.append(r)
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
                            requests.append(r)
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
                        requests.append(r)
                    }
                }
            }
        }
        var seen = Set<String>()
        requests = requests.filter { seen.insert("\($0.model)|\($0.prompt)|\($0.size ?? "")|\($0.aspectRatio ?? "")|\($0.quality ?? "")").inserted }
        var axes: [(String, [String])] = []
        func axis(_ name: String, _ values: [String]) {
            var distinct: [String] = []
            for v in values where !distinct.contains(v) { distinct.append(v) }
            if distinct.count > 1 { axes.append((name, distinct)) }
        }
        axis("prompt", requests.map(\.prompt))
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
        guard n != 1 else { return word }
        return word.hasSuffix("y") ? String(word.dropLast()) + "ies" : word + "s"
    }
}
