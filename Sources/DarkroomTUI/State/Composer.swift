import DarkroomCore

/// What opening a local reference file found: the image, or why it cannot be sent.
public typealias ReferenceCheck = Result<LocalImage, ValidationProblem>

extension Result {
    var failureValue: Failure? { if case let .failure(f) = self { return f } else { return nil } }
}

/// The fields of the composer, in the order Tab visits them.
public enum ComposerField: Int, CaseIterable, Sendable {
    case prompt, model, tier, size, ratio, quality, n, format, style, references

    public var label: String {
        switch self {
        case .prompt: return "Prompt"
        case .style: return "Style"
        case .model: return "Model"
        case .tier: return "Tier"
        case .size: return "Size"
        case .ratio: return "Aspect"
        case .quality: return "Quality"
        case .n: return "Images"
        case .format: return "Format"
        case .references: return "Reference"
        }
    }

    var requestField: RequestField? {
        switch self {
        case .prompt: return .prompt
        // The prompt's problems (a wildcard's file) are the prompt's, not the style's.
        case .style: return nil
        case .model, .tier: return .model
        case .size: return .size
        case .ratio: return .aspectRatio
        case .quality: return .quality
        case .n: return .n
        case .format: return .outputFormat
        case .references: return .references
        }
    }
}

/// What the user is composing. Always holds a request the core can validate;
/// starts as a valid default (gpt-image-2, 1024x1024), so typing a prompt and
/// pressing Ctrl-S is enough.
public struct Composer: Equatable, Sendable {
    public var editor = PromptEditor()
    public var family: ModelFamily = .gptImage2
    /// NanoBanana 2 and Pro: the model variant. gpt-image-2: the tier sizes are filtered by.
    public var tier: Tier = .k1
    public var size = Catalog.defaultSize
    public var orientation: Orientation?
    public var ratio: AspectRatio?
    /// Size or aspect ratio set by the user while the field's own family takes
    /// none (a run with both families): then that value is sent, not one mapped
    /// from the other shape (see `matrix`).
    public var setAcrossFamilies: Set<ComposerField> = []
    public var quality: Quality = .medium
    public var n = 1
    public var format: OutputFormat = .png
    /// Reference images as typed: URLs, `file:` URLs or local paths, read as a shell
    /// reads words (`ReferenceText`: quotes, backslashes, `~`).
    public var references = PromptEditor()
    /// The home folder `~` stands for (the shell gives the user's; tests fix one).
    public var home = ""
    /// What the shell found opening local reference files (`.inspectReferences`),
    /// by path. `update` never opens a file itself.
    public private(set) var inspected: [String: ReferenceCheck] = [:]
    /// Paths asked about and not answered yet.
    public private(set) var pending: Set<String> = []
    public var field: ComposerField = .prompt
    /// Which models the key may use (the server's list, merged with the catalog):
    /// a model it may not use is marked in the pickers and is a problem of the Model field.
    public var access = ModelAccess()
    /// Saved pictures put in the references by the remix keys, by path: each one
    /// still among the references is sent as an origin of the request (its lineage).
    public var remixSources: [String: PictureOrigin] = [:]
    /// What the last model change dropped, in words.
    public var notice: String?
    /// Several values per field (Space in the lists): Ctrl-S then sends a run.
    public var choices = MatrixChoices()
    /// The config's styles (`[styles.NAME]`), by name; none hides the Style field.
    public var styles: [PromptStyle] = []
    /// The style the prompt is sent in (nil: as typed).
    public var style: String?
    /// The wildcard files a `{@name}` in the prompt stands for (read by the shell).
    public var wildcards = WildcardSet()
    static let changedPrefix = "Changed: "
    /// Set when a submit was refused: then an empty prompt is marked too.
    public var showAllProblems = false

    /// The core's verdict on `request`, kept current by `update` so that drawing a
    /// frame never validates (validation opens local reference files).
    public private(set) var validation: Result<ValidRequest, ValidationFailure>
    /// The run Ctrl-S would send (nil for one request), kept current the same way.
    public private(set) var plan: Result<RunPlan, RunPlanFailure>?
    /// A `{@name}` of a single request whose file is missing, empty or holds control
    /// characters, with the file and line (a run's `plan` says the same as its failure).
    /// Kept current with `plan`, from the same inputs.
    public private(set) var wildcardProblems: [ValidationProblem] = []
    /// What `plan` was made from.
    private var planned: RequestMatrix?
    private var validated: ImageRequest
    private var validatedReferences = ""

    public init() {
        validated = ImageRequest(model: "", prompt: "")
        validation = RequestValidator.validate(validated) { _ in .failure(ValidationProblem(.references, "not checked")) }
        refreshValidation()
    }

    /// Validates again (and plans the run again) if the request changed since the
    /// last time (or always, with `force`). Local files are judged by what `inspected` holds: a path not
    /// answered yet is "being checked".
    public mutating func refreshValidation(force: Bool = false) {
        let m = matrix
        if force || m != planned {
            planned = m
            plan = makePlan(m)
            wildcardProblems = checkWildcards()
        }
        let r = request
        // The field's text too: closing a quote changes no word, but ends a problem.
        guard force || r != validated || references.text != validatedReferences || validated.model.isEmpty else { return }
        validated = r
        validatedReferences = references.text
        let known = inspected
        var result = RequestValidator.validate(r) { path in
            known[path] ?? .failure(ValidationProblem(.references, "checking \"\(path)\"…"))
        }
        if case let .failure(syntax) = ReferenceText.references(references.text, home: home) {
            let others = (try? result.get()) == nil ? (result.failureValue?.problems ?? []) : []
            result = .failure(ValidationFailure(problems: [syntax] + others))
        }
        if let refused = access.problem(for: r, brief: true) {
            result = .failure(ValidationFailure(problems: [refused] + (result.failureValue?.problems ?? [])))
        }
        validation = result
    }

    /// The local files the references name (paths of `file:` URLs included).
    public var localReferencePaths: [String] {
        request.references.compactMap { ref in
            let lower = ref.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return nil }
            if lower.hasPrefix("file:") { return RequestValidator.fileURLPath(ref) }
            return ref.isEmpty ? nil : ref
        }
    }

    /// The paths to ask the shell about now (marked as asked).
    public mutating func pathsToInspect() -> [String] {
        let paths = Array(Set(localReferencePaths).subtracting(inspected.keys).subtracting(pending)).sorted()
        pending.formUnion(paths)
        return paths
    }

    /// The shell's answers: kept (the latest 256 paths), and the request judged again.
    public mutating func receive(_ answers: [String: ReferenceCheck]) {
        for (path, check) in answers where pending.remove(path) != nil || inspected[path] != nil { inspected[path] = check }
        if inspected.count > 256 {
            let current = Set(localReferencePaths)
            inspected = inspected.filter { current.contains($0.key) }
        }
        refreshValidation(force: true)
    }

    /// Forgets what files were found, so they are opened again (before a submit:
    /// a file may have changed since it was typed).
    public mutating func forgetInspections() {
        inspected.removeAll()
        pending.removeAll()
    }

    public var modelID: String {
        switch family {
        case .gptImage2: return "gpt-image-2"
        case .nanoBanana: return "NanoBanana"
        case .nanoBanana2, .nanoBananaPro: return "\(family.rawValue)-\(tier.rawValue)"
        }
    }

    public var model: ImageModel? { Catalog.model(modelID) }

    /// The families Ctrl-S sends to: the run's models (Space), else the field's one.
    public var families: [ModelFamily] {
        var out: [ModelFamily] = []
        let set = choices.models.compactMap { Catalog.model($0)?.family }
        for f in set.isEmpty ? [family] : set where !out.contains(f) { out.append(f) }
        return out
    }

    /// Whether a family takes a field (the prompt, images, format and references: all).
    static func takes(_ fam: ModelFamily, _ f: ComposerField) -> Bool {
        switch f {
        case .tier: return fam != .nanoBanana
        case .size, .quality: return fam == .gptImage2
        case .ratio: return fam != .gptImage2
        default: return true
        }
    }

    /// The fields any model Ctrl-S sends takes, in Tab order: a field that
    /// applies to one model of a run stays visible and editable.
    public var fields: [ComposerField] {
        ComposerField.allCases.filter { f in (f != .style || !styles.isEmpty) && families.contains { Self.takes($0, f) } }
    }


    /// For a field only some of the run's models take: those families ("gpt-image-2"); nil otherwise.
    public func onlyFor(_ f: ComposerField) -> String? {
        let all = families
        let takers = all.filter { Self.takes($0, f) }
        guard all.count > 1, takers.count < all.count, !takers.isEmpty else { return nil }
        return takers.map(\.rawValue).joined(separator: ", ")
    }

    /// A size (or ratio) field shown for another family of the run, not set by
    /// the user: each request's value is mapped from the other shape.
    public func mapsAcross(_ f: ComposerField) -> Bool {
        switch f {
        case .size: return family != .gptImage2 && choices.sizes.isEmpty && !setAcrossFamilies.contains(.size)
        case .ratio: return family == .gptImage2 && choices.ratios.isEmpty && !setAcrossFamilies.contains(.ratio)
        default: return false
        }
    }

    /// The request as sent: the prompt in the chosen style (`style` records the
    /// name and the prompt as typed).
    public var request: ImageRequest { typedRequest.styled(chosenStyle) }

    /// The request with the prompt as typed (no style): what a run's matrix starts from.
    public var typedRequest: ImageRequest {
        // Words as a shell reads them; with a quote left open, the words so far.
        let refs = ReferenceText.words(references.text, home: home).words.map(\.text)
        var r = ImageRequest(model: modelID, prompt: editor.text, references: refs,
                             size: family == .gptImage2 ? size : nil, aspectRatio: family == .gptImage2 ? nil : ratio?.rawValue,
                             quality: family == .gptImage2 ? quality.rawValue : nil, n: n, outputFormat: format.rawValue)
        r.origins = refs.compactMap { remixSources[$0] }
        return r
    }

    /// Problems the core finds, by field. An empty prompt is not shown as a
    /// problem until the user tries to submit.
    public func problems(includingEmptyPrompt: Bool = false) -> [ValidationProblem] {
        guard case let .failure(f) = validation else { return wildcardProblems }
        return f.problems.filter { includingEmptyPrompt || showAllProblems || $0.field != .prompt || !editor.text.isEmpty }
            + wildcardProblems
    }

    /// The gpt-image-2 sizes offered for the current tier and orientation filter.
    public var sizeOptions: [GPTImageSize] { Catalog.sizes(ofTier: tier, orientation: orientation) }

    /// Choices for a field (for pickers and Left/Right cycling), as (value, label).
    public func options(_ f: ComposerField) -> [(value: String, label: String)] {
        switch f {
        case .model:
            return ModelFamily.allCases.map { fam in
                let models = Catalog.models(of: fam)
                let none = !models.isEmpty && models.allSatisfy { access.availability(of: $0.id) == .unavailable }
                return (fam.rawValue, fam.displayName + (none ? "  (not for this key)" : ""))
            }
        case .tier:
            return Catalog.tiers(of: family).map { t in
                let id = family == .gptImage2 ? "gpt-image-2" : "\(family.rawValue)-\(t.rawValue)"
                return (t.rawValue, t.rawValue + (access.availability(of: id) == .unavailable ? "  (not for this key)" : ""))
            }
        case .size: return sizeOptions.map { ($0.name, DisplayWidth.pad($0.name, to: 11) + DisplayWidth.pad($0.ratioLabel, to: 15) + $0.orientation.rawValue) }
        case .ratio: return [("", "not sent (model default)")] + AspectRatio.allCases.map { ($0.rawValue, $0.rawValue) }
        case .quality: return Quality.allCases.map { ($0.rawValue, $0.rawValue) }
        case .n: return (1...8).map { (String($0), String($0)) }
        case .style: return [("", "(none): the prompt as typed")] + styles.map { ($0.name, DisplayWidth.pad($0.name, to: 12) + " " + $0.template) }
        case .format: return (model?.outputFormats ?? [.png]).map { ($0.rawValue, $0.rawValue) }
        case .prompt, .references: return []
        }
    }

    public func currentValue(_ f: ComposerField) -> String {
        switch f {
        case .model: return family.rawValue
        case .tier: return tier.rawValue
        case .size: return size
        case .ratio: return ratio?.rawValue ?? ""
        case .quality: return quality.rawValue
        case .n: return String(n)
        case .style: return style ?? ""
        case .format: return format.rawValue
        case .prompt: return editor.text
        case .references: return references.text
        }
    }

    /// Sets a field from one of its options' values.
    public mutating func set(_ f: ComposerField, _ value: String) {
        notice = nil
        if (f == .size || f == .ratio), !Self.takes(family, f) { setAcrossFamilies.insert(f) }
        switch f {
        case .model: if let fam = ModelFamily(rawValue: value) { setFamily(fam) }
        case .tier:
            if let t = Tier(rawValue: value) {
                tier = t
                if family == .gptImage2, !sizeOptions.contains(where: { $0.name == size }) {
                    size = nearestSize(to: Catalog.size(named: size)?.aspect ?? 1)?.name ?? size
                }
            }
        case .size: size = value
        case .ratio: ratio = AspectRatio(rawValue: value)
        case .quality: quality = Quality(rawValue: value) ?? quality
        case .n: n = Int(value) ?? n
        case .style: style = value.isEmpty ? nil : value
        case .format: format = OutputFormat(rawValue: value) ?? format
        case .prompt, .references: break
        }
    }

    /// Moves a field's value to the previous or next option (Left/Right).
    public mutating func cycle(_ f: ComposerField, by delta: Int) {
        let opts = options(f)
        guard !opts.isEmpty else { return }
        let i = opts.firstIndex { $0.value == currentValue(f) } ?? 0
        set(f, opts[(i + delta + opts.count) % opts.count].value)
    }

    /// Changes the model family, keeping every choice that stays legal and
    /// saying which were dropped or mapped.
    public mutating func setFamily(_ new: ModelFamily) {
        guard new != family else { return }
        setAcrossFamilies = []
        var notes: [String] = []
        let oldAspect = family == .gptImage2 ? Catalog.size(named: size)?.aspect : ratio?.value
        family = new
        let tiers = Catalog.tiers(of: new)
        if !tiers.isEmpty && !tiers.contains(tier) {
            let nearest = tiers.min { abs($0.billableUnits - tier.billableUnits) < abs($1.billableUnits - tier.billableUnits) } ?? tiers[0]
            notes.append("tier \(tier.rawValue) → \(nearest.rawValue)")
            tier = nearest
        }
        if new == .gptImage2 {
            if let a = oldAspect, let s = nearestSize(to: a), s.name != size {
                size = s.name
                notes.append("size \(s.name) for \(ratio?.rawValue ?? "the ratio")")
            } else if !sizeOptions.contains(where: { $0.name == size }) {
                size = sizeOptions.first?.name ?? Catalog.defaultSize
            }
        } else if let a = oldAspect, ratio == nil || Catalog.size(named: size) != nil, family != .gptImage2 {
            let r = AspectRatio.allCases.min { abs(log($0.value / a)) < abs(log($1.value / a)) }
            if ratio != r, let r { notes.append("aspect \(r.rawValue) from the size"); ratio = r }
        }
        if let m = model, !m.outputFormats.contains(format) {
            notes.append("format \(format.rawValue) dropped (not offered), now \(m.outputFormats[0].rawValue)")
            format = m.outputFormats[0]
        }
        if !fields.contains(field) { field = .model }
        notice = notes.isEmpty ? nil : Self.changedPrefix + notes.joined(separator: "; ")
    }

    private func nearestSize(to aspect: Double) -> GPTImageSize? {
        sizeOptions.min { abs(log($0.aspect / aspect)) < abs(log($1.aspect / aspect)) }
    }

    /// Loads a past request (for "edit as new").
    public mutating func load(_ r: ImageRequest) {
        guard let m = Catalog.model(r.model) else {
            editor.setText(r.prompt)
            notice = "\(r.model) is not in the catalog; kept the current model"
            return
        }
        family = m.family
        if let t = m.tier { tier = t }
        if let s = r.size, let size = Catalog.size(named: s) { self.size = size.name; tier = size.tier }
        ratio = r.aspectRatio.flatMap(AspectRatio.init(rawValue:))
        quality = r.quality.flatMap(Quality.init(rawValue:)) ?? .medium
        n = r.n
        format = r.outputFormat.flatMap(OutputFormat.init(rawValue:)) ?? .png
        // A styled task comes back as typed, in its style (when the config still has it).
        if let used = r.style, styles.contains(where: { $0.name == used.name }) {
            editor.setText(used.prompt)
            style = used.name
        } else {
            editor.setText(r.prompt)
            style = nil
            if let used = r.style { notice = "Style \(used.name) is not in the config: loaded the prompt as it was sent" }
        }
        references.setText(r.references.map(ReferenceText.quote).joined(separator: " "))
        // A request loaded again (e, r) keeps where its pictures came from.
        remixSources = Dictionary(zip(r.references, r.origins), uniquingKeysWith: { a, _ in a })
        field = .prompt
        if r.style == nil || style != nil { notice = nil }
        choices = MatrixChoices()
        setAcrossFamilies = []
    }
}

import Foundation
