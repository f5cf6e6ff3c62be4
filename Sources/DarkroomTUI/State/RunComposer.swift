import DarkroomCore

/// Several values per field, toggled with Space in the model, tier, size,
/// aspect-ratio and quality lists (Enter still picks one). Empty: the field's
/// one value. The first Space on a field starts its set with the value the
/// field holds, so "the current one and this one" is one key.
public struct MatrixChoices: Equatable, Sendable {
    /// Model ids (`NanoBanana2-2K`, not families).
    public var models: [String] = []
    public var sizes: [String] = []
    public var ratios: [String] = []
    public var qualities: [String] = []
    /// Style names (several: each request once per style).
    public var styles: [String] = []

    public init() {}

    public var isEmpty: Bool { models.isEmpty && sizes.isEmpty && ratios.isEmpty && qualities.isEmpty && styles.isEmpty }

    /// Adds `value` to the list, or takes it out; a list left with its one seed is emptied.
    static func toggle(_ list: inout [String], _ value: String, seed: String) {
        if list.isEmpty { list = [seed] }
        if let i = list.firstIndex(of: value) { list.remove(at: i) } else { list.append(value) }
        if list.count == 1 && list[0] == seed { list = [] }
    }
}

extension Composer {
    /// The composer's request with its choices: the current value of a field
    /// stands in where nothing was toggled, so a model added to a gpt-image-2
    /// size gets that size mapped by the family rules (and a note says so).
    public var matrix: RequestMatrix {
        var base = typedRequest
        // Both shapes: the matrix gives each model the one it takes.
        base.size = size
        base.aspectRatio = ratio?.rawValue
        base.quality = quality.rawValue
        // A shape field shown for the run's other family is sent as shown once the user set it;
        // until then each request's shape is mapped from the other one (with a note).
        return RequestMatrix(base: base,
                             models: choices.models,
                             sizes: choices.sizes.isEmpty ? (mapsAcross(.size) ? [] : [size]) : choices.sizes,
                             aspectRatios: choices.ratios.isEmpty ? (mapsAcross(.ratio) ? [] : ratio.map { [$0.rawValue] } ?? []) : choices.ratios,
                             qualities: choices.qualities,
                             styles: choices.styles.isEmpty ? chosenStyle.map { [$0] } ?? [] : choices.styles.compactMap { n in styles.first { $0.name == n } },
                             wildcards: wildcards)
    }

    /// The chosen style's wrapper (nil: none, or a name the config no longer has).
    public var chosenStyle: PromptStyle? { style.flatMap { name in styles.first { $0.name == name } } }

    /// The problem of a single request's `{@name}` whose file cannot be used (for
    /// `wildcardProblems`; a run's plan fails with the same words).
    func checkWildcards() -> [ValidationProblem] {
        guard !isRun, !PromptAlternatives.wildcardNames(editor.text).isEmpty else { return [] }
        do { _ = try PromptAlternatives.expand(editor.text, wildcards: wildcards) } catch {
            return [ValidationProblem(.prompt, error.message)]
        }
        return []
    }

    /// How many requests Ctrl-S sends (prompt alternatives times the choices).
    public var requestCount: Int { choices.isEmpty && PromptAlternatives.count(editor.text, wildcards: wildcards) <= 1 ? 1 : matrix.count }

    /// True when Ctrl-S sends a run (several requests) rather than one request.
    public var isRun: Bool { requestCount > 1 }

    /// Makes the plan of the run Ctrl-S would send from `matrix`: nil for one
    /// request; each request checked by the core; a broken `{…|…}` or too many
    /// requests is a failure message. Kept in `plan` by `refreshValidation`, so a
    /// frame never expands or validates.
    func makePlan(_ matrix: RequestMatrix) -> Result<RunPlan, RunPlanFailure>? {
        guard isRun else { return nil }
        let expansion: RequestMatrix.Expansion
        do { expansion = try matrix.expand() } catch {
            return .failure(RunPlanFailure(message: error.description.replacingOccurrences(of: "--prompt: ", with: "prompt: ")))
        }
        var expression = editor.text
        for (name, values) in [("style", choices.styles.isEmpty ? (style.map { [$0] } ?? []) : choices.styles), ("model", choices.models),
                               ("size", choices.sizes), ("aspect ratio", choices.ratios), ("quality", choices.qualities)]
            where !values.isEmpty {
            expression += " · \(name): " + values.joined(separator: ", ")
        }
        // Local reference files are judged as the composer judged them (the shell opened them).
        return .success(RunPlan(expansion.requests, notes: expansion.notes, axes: expansion.axes.map { RunAxis(name: $0.name, values: $0.values) },
                                expression: expression,
                                inspect: { inspected[$0] ?? .failure(ValidationProblem(.references, "checking \"\($0)\"…")) })
            .allowed(by: access, brief: true))
    }

    /// Whether Space in this field's list adds to a set (the fields a matrix varies).
    public func takesSeveral(_ f: ComposerField) -> Bool {
        switch f {
        case .model, .size, .ratio, .quality, .style: return true
        case .tier: return family == .nanoBanana2 || family == .nanoBananaPro
        default: return false
        }
    }

    /// Whether a value of a field's list is in its set (drawn as a mark in the list).
    public func isChosen(_ f: ComposerField, _ value: String) -> Bool {
        switch f {
        case .model: return choices.models.contains { Catalog.model($0)?.family.rawValue == value }
        case .tier: return choices.models.contains("\(family.rawValue)-\(value)")
        case .size: return choices.sizes.contains(value)
        case .ratio: return choices.ratios.contains(value)
        case .quality: return choices.qualities.contains(value)
        case .style: return choices.styles.contains(value)
        default: return false
        }
    }

    /// Space on a value of a field's list: into the set, or out of it. A set
    /// left with one value is that field's value again.
    public mutating func toggle(_ f: ComposerField, _ value: String) {
        switch f {
        case .model:
            guard let fam = ModelFamily(rawValue: value) else { return }
            if choices.models.contains(where: { Catalog.model($0)?.family == fam }) {
                choices.models.removeAll { Catalog.model($0)?.family == fam }
            } else {
                MatrixChoices.toggle(&choices.models, Self.modelID(fam, tier: tier), seed: modelID)
            }
        case .tier: MatrixChoices.toggle(&choices.models, "\(family.rawValue)-\(value)", seed: modelID)
        case .size: MatrixChoices.toggle(&choices.sizes, value, seed: size)
        case .ratio: if !value.isEmpty { MatrixChoices.toggle(&choices.ratios, value, seed: ratio?.rawValue ?? value) }
        case .quality: MatrixChoices.toggle(&choices.qualities, value, seed: quality.rawValue)
        case .style:
            // No style yet: the first one Space marks is the style; the next ones make the set.
            guard !value.isEmpty else { break }
            if let current = style { MatrixChoices.toggle(&choices.styles, value, seed: current) } else { style = value }
        default: break
        }
        collapseSingles()
    }

    /// Whether a field holds several values (so Backspace has something to clear).
    public func hasSeveral(_ f: ComposerField) -> Bool {
        switch f {
        case .model, .tier: return !choices.models.isEmpty
        case .size: return !choices.sizes.isEmpty
        case .ratio: return !choices.ratios.isEmpty
        case .quality: return !choices.qualities.isEmpty
        case .style: return !choices.styles.isEmpty
        default: return false
        }
    }

    /// Backspace on a field: back to its one value.
    public mutating func clearChoices(_ f: ComposerField) {
        switch f {
        case .model, .tier: choices.models = []
        case .size: choices.sizes = []
        case .ratio: choices.ratios = []
        case .quality: choices.qualities = []
        case .style: choices.styles = []
        default: break
        }
    }

    /// A set of one value is the field's value (and no set).
    private mutating func collapseSingles() {
        if choices.models.count == 1, let m = Catalog.model(choices.models[0]) {
            choices.models = []
            setFamily(m.family)
            if let t = m.tier { tier = t }
        }
        if choices.sizes.count == 1 { size = choices.sizes[0]; choices.sizes = [] }
        if choices.ratios.count == 1 { ratio = AspectRatio(rawValue: choices.ratios[0]); choices.ratios = [] }
        if choices.qualities.count == 1 { quality = Quality(rawValue: choices.qualities[0]) ?? quality; choices.qualities = [] }
        if choices.styles.count == 1 { style = choices.styles[0]; choices.styles = [] }
    }

    /// The model id of a family at the tier nearest `tier` it offers.
    static func modelID(_ fam: ModelFamily, tier: Tier) -> String {
        switch fam {
        case .gptImage2: return "gpt-image-2"
        case .nanoBanana: return "NanoBanana"
        case .nanoBanana2, .nanoBananaPro:
            let tiers = Catalog.tiers(of: fam)
            let t = tiers.contains(tier) ? tier : tiers.min { abs($0.billableUnits - tier.billableUnits) < abs($1.billableUnits - tier.billableUnits) } ?? tier
            return "\(fam.rawValue)-\(t.rawValue)"
        }
    }
}

