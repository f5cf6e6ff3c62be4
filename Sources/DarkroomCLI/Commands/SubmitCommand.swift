import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit an image task (validated first: nothing is sent if the request is invalid).",
        discussion: """
        Examples:
          darkroom submit --model gpt-image-2 --size 1024x768 --quality low --format webp --prompt "A blue glass sphere"
          darkroom submit --model NanoBanana2-0.5K --aspect-ratio 16:9 --image https://example.com/in.png --prompt "Clean render" --wait
          echo "a red cube" | darkroom submit --model NanoBanana --prompt - --dry-run

        Several ways at once (a run): repeat --model, --size, --aspect-ratio or --quality,
        and write alternatives in the prompt as {a|b} (\\{ for a brace). Sizes and
        qualities apply to gpt-image-2, aspect ratios to NanoBanana; a model given none of
        its kind gets the nearest by the family mapping, and says so. --dry-run lists every
        request and the total; over 4 requests a terminal asks, a script passes --yes.
          darkroom submit --model gpt-image-2 --model NanoBanana2-1K --size 1024x1024 --size 1536x1024 \\
            --prompt "a {red|blue} fox in fog" --dry-run

        --style NAME wraps the prompt in a style of the config file ([styles.NAME]);
        several are a run over them. {@colors} in the prompt stands for every line of
        wildcards/colors.txt beside the config file, as {a|b} does for a and b.
          darkroom submit --model NanoBanana --style film --style noir \\
            --prompt "a {@colors} fox" --dry-run
        """)

    @Option(name: .long, help: "The model (see `darkroom models`). Default: the profile's default_model. Repeat for several.", completion: .models)
    var model: [String] = []

    @Option(name: .long, help: "What to draw. `-` reads it from standard input.")
    var prompt: String

    @Option(name: .long, help: "A style of the config file ([styles.NAME]) to wrap the prompt in. Repeat for a run over several.", completion: .styles)
    var style: [String] = []

    @Option(name: .long, help: "gpt-image-2 only, required there: WIDTHxHEIGHT from its size table. Repeat for several.", completion: .sizes)
    var size: [String] = []

    @Option(name: .long, help: "NanoBanana models only: 1:1 2:3 3:2 3:4 4:3 4:5 5:4 9:16 16:9 21:9. Repeat for several.", completion: .aspectRatios)
    var aspectRatio: [String] = []

    @Option(name: .long, help: "gpt-image-2 only: low, medium (default) or high. Repeat for several.")
    var quality: [String] = []

    // Unconditional, so `--n -1` is read as a value (and refused with the range), not as a flag.
    @Option(name: .customLong("n"), parsing: .unconditional, help: "Images per task, 1 to 8 (default 1).")
    var n: String = "1"

    @Option(name: .long, help: "png (default), jpeg, or webp where the model offers it.")
    var format: String?

    @Option(name: .long, help: "A reference image: an http(s) URL or a local PNG/JPEG/WebP file. Repeat for several.")
    var image: [String] = []

    @Option(name: .long, help: ArgumentHelp("A picture of a past task as the reference (a remix): #12, #12:1 (its second picture) or a task id. The saved file is uploaded; repeat for several. The model defaults to that task's.",
                                            valueName: "task[:index]"))
    var from: [String] = []

    @Option(name: .long, help: "text2image or image2image (default: inferred from --image).")
    var taskType: String?

    @Flag(name: .long, help: "Send a model name that is not in darkroom's catalog.")
    var allowUnknownModel = false

    @OptionGroup(title: "Output") var output: JSONOutput

    @Flag(name: .long, help: "Print the request body that would be sent, and send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Print an equivalent curl command (key as $DARKROOM_API_KEY), and send nothing.")
    var curl = false

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup(title: "Sending") var sending: SendingOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        if prompt == "-" && connection.apiKeyStdin {
            throw CLIFailure(.invalidInput, "--prompt - and --api-key-stdin both want standard input; give the prompt as text or the key in DARKROOM_API_KEY")
        }
        let promptText = prompt == "-" ? ctx.readStdin().trimmingCharacters(in: .newlines) : prompt
        // The profile's default model, chosen as the resolver chooses the profile
        // (read here too because --dry-run needs no endpoint or key).
        let loaded = Result { () throws(ConfigError) -> ConfigFile? in try ConfigResolver().loadFile(paths: DarkroomPaths(environment: ctx.environment)) }
        let file = (try? loaded.get()) ?? nil
        // --dry-run and --curl resolve no endpoint: the file's problems are said here (else by the resolver).
        if dryRun || curl {
            switch loaded {
            case let .success(f): for w in f?.warnings ?? [] { ctx.console.warning(w) }
            case let .failure(e): ctx.console.warning(e.description)
            }
        }
        let paths = DarkroomPaths(environment: ctx.environment)
        let styles = try StyleChoice.resolve(style, loaded: loaded, paths: paths)
        let wildcards = StyleChoice.wildcards(for: promptText, paths: paths)
        let profileName = ConfigResolver.profileName(connection.profile, environment: ctx.environment, file: file)
        let profileDefault = ConfigResolver.defaultModel(environment: ctx.environment, profile: file?.profiles[profileName])
        // --from: the saved pictures of past tasks, uploaded as they are (and recorded as the new task's parents).
        var picked: [RemixSource.Picked] = []
        if !from.isEmpty {
            let store = try StudioSession.openStore(ctx)
            for ref in from { picked.append(try await RemixSource.pick(ref, in: store, ctx: ctx)) }
        }
        guard let modelName = model.first ?? picked.first?.parent.request.model ?? profileDefault else {
            throw CLIFailure(.invalidInput, "choose a model with --model (see `darkroom models`), e.g. --model gpt-image-2 --size 1024x1024")
        }
        guard let count = Int(n.trimmingCharacters(in: .whitespaces)) else {
            throw CLIFailure(.invalidInput, "the request is not valid; nothing was sent:\n  --n: \"\(TerminalSanitizer.clean(n))\" is not a number; give 1 to 8 images per task")
        }
        var request = ImageRequest(model: modelName, prompt: promptText, taskType: taskType, references: picked.map(\.reference) + image,
                                   size: size.first, aspectRatio: aspectRatio.first, quality: quality.first, n: count, outputFormat: format,
                                   allowUnknownModel: allowUnknownModel)
        request.origins = picked.map(\.origin)
        // The parent's model, and with it its shape, unless given: "the same, but at dusk".
        if model.isEmpty, let parent = picked.first?.parent.request {
            if size.isEmpty && aspectRatio.isEmpty { request.size = parent.size; request.aspectRatio = parent.aspectRatio }
            if quality.isEmpty { request.quality = parent.quality }
            if format == nil { request.outputFormat = parent.outputFormat }
        }
        for p in picked where !output.json {
            ctx.console.err("from \(p.origin.label): \(TerminalSanitizer.clean(p.reference))" + (p.origin.sha256.isEmpty ? "" : " (sha256 \(p.origin.sha256.prefix(12))…)"))
        }
        // Several values, styles, or alternatives or wildcards in the prompt: a run of requests.
        let matrix = RequestMatrix(base: request, models: model, sizes: size, aspectRatios: aspectRatio, qualities: quality,
                                   styles: styles, wildcards: wildcards)
        // (A group left open, or a wildcard file that cannot be used, is an error there too, not a prompt sent with a typo in it.)
        let expanded = try? PromptAlternatives.expand(promptText, wildcards: wildcards)
        if model.count > 1 || size.count > 1 || aspectRatio.count > 1 || quality.count > 1 || styles.count > 1 || matrix.count > 1 || expanded == nil {
            if curl { throw CLIFailure(.invalidInput, "--curl prints one request; with several, use --dry-run --json") }
            return try await MatrixSubmit(command: self, matrix: matrix).run(ctx)
        }
        // One request: the prompt as typed (a wildcard's one line put in), under its style.
        if !PromptAlternatives.wildcardNames(promptText).isEmpty, let one = expanded?.first { request.prompt = one }
        if let s = styles.first { request = request.styled(s) }
        if (dryRun || curl) && !output.json, let use = request.style { ctx.console.err(StyleChoice.label(use)) }
        // What the server said of this key (kept from an earlier `models` or TUI session; never asked here).
        let local = ServerFacts.local(ctx, connection: connection, file: file)
        var problems: [ValidationProblem] = []
        var validated: ValidRequest?
        switch RequestValidator.validate(request) {
        case let .success(v): validated = v
        case let .failure(f): problems = f.problems
        }
        if let refused = ModelAccess(local.facts).problem(for: request, now: ctx.now()) { problems.append(refused) }
        guard problems.isEmpty, let valid = validated else {
            let lines = problems.map { "  --\($0.field.flagName): \($0.message)" }
            throw CLIFailure(.invalidInput, "the request is not valid; nothing was sent:\n" + lines.joined(separator: "\n"))
        }
        let prices = local.prices
        for w in valid.warnings { ctx.console.warning(w) }
        if request.prompt.count > ImageRequest.longPrompt, !dryRun, !curl {
            let size = CountText.grouped(request.prompt.count)
            ctx.console.warning("the prompt is \(size) characters long (a paste gone wrong?)")
            if !sending.yes, let confirm = ctx.confirm, !confirm("Send a prompt of \(size) characters?") {
                ctx.console.err("nothing was sent")
                return .ok
            }
        }

        if dryRun || curl {
            if dryRun {
                ctx.console.err(Self.costLine(request, prices: prices) + "; nothing was sent (--dry-run)")
                try BudgetGate.check(ctx, cost: prices.estimate(request), what: "this request", local: local, sending: sending, dryRun: true)
            }
            if dryRun {
                if case let .files(files) = valid.references, output.json {
                    // --json is JSON whatever the body: the fields and the files an upload sends.
                    ctx.console.out(JSONValue.object([
                        ("content_type", "multipart/form-data"),
                        ("fields", .object(RequestEncoder.textFields(valid).map { ($0.0, .string($0.1)) })),
                        ("files", .array(files.map { .object([("field", "image"), ("path", .string($0.path)), ("content_type", .string($0.format.mimeType)),
                                                              ("bytes", .int($0.byteCount))]) })),
                        ("style", StyleChoice.json(request.style)),
                    ]).serialized())
                } else if case let .files(files) = valid.references {
                    ctx.console.out("multipart/form-data")
                    for (k, v) in RequestEncoder.textFields(valid) { ctx.console.out("\(k)=\(v)") }
                    for f in files { ctx.console.out("image=@\(f.path) (\(f.format.mimeType), \(f.byteCount) bytes)") }
                } else if output.json {
                    // The body, and darkroom's own `style` (never sent).
                    ctx.console.out(StyleChoice.withStyle(RequestEncoder.jsonObject(valid), request.style).serialized())
                } else {
                    ctx.console.out(RequestEncoder.jsonObject(valid).serialized(pretty: true))
                }
            }
            if curl {
                let base = connection.baseURL ?? ctx.environment["DARKROOM_BASE_URL"] ?? "$DARKROOM_BASE_URL"
                let url = URL(string: base).map { DarkroomClient.tasksURL(base: $0).absoluteString } ?? "\(base)/v1/images/tasks"
                ctx.console.out(CurlCommand.submit(valid, tasksURL: url))
            }
            return .ok
        }

        try BudgetGate.check(ctx, cost: prices.estimate(request), what: "this request", local: local, sending: sending)
        let session = try await StudioSession.open(ctx, connection: connection, download: !sending.noDownload)
        return try await session.closing { () async throws(CLIFailure) -> ExitStatus in
            do { try await session.studio.start() } catch {
                throw CLIFailure(.ioError, "cannot read the history \(session.store.path): \(HistoryStore.describe(error))")
            }
            var record: TaskRecord
            do {
                record = try await session.studio.submit(request)
            } catch let e as StudioError {
                // --json output is always JSON: the task as the history recorded it (with why it failed).
                if output.json, case let .submitFailed(recorded?, _) = e { ctx.console.out(RecordFormat.json(recorded).serialized()) }
                throw StudioSession.failure(e, store: session.store, ctx: ctx)
            } catch {
                throw CLIFailure(.ioError, String(describing: error))
            }
            if !output.json { ctx.console.err("submitted \(record.shownTaskID ?? "-") (\(valid.modelID), \(record.statusLabel)); local id #\(record.localID)") }
            if sending.wait {
                let final = try await WatchLoop(session: session, ctx: ctx, json: false).run([record.localID])
                record = final.first ?? record
                if output.json {
                    ctx.console.out(RecordFormat.json(record).serialized())
                    WatchLoop.warnUnsaved([record], ctx: ctx)
                } else {
                    WatchLoop.summarize([record], ctx: ctx, urls: true)
                }
                return WatchLoop.status([record], downloads: !sending.noDownload)
            }
            if output.json {
                ctx.console.out(RecordFormat.json(record).serialized())
            } else {
                ctx.console.out("\(record.shownTaskID ?? "-") \(record.statusLabel)")
                // By its local id (the server's may hold anything), on the endpoint it went to.
                let endpoint = connection.baseURL.map { " --base-url \($0)" } ?? connection.profile.map { " --profile \($0)" } ?? ""
                ctx.console.err("follow it with: darkroom watch '#\(record.localID)'\(endpoint)")
            }
            return record.state == .failed ? .taskFailed : .ok
        }
    }
}

extension SubmitCommand {
    /// "1 request, 2 billable units, ≈ $0.080 from server prices".
    static func costLine(_ r: ImageRequest, prices: Prices) -> String {
        let plan = RunPlan([r], axes: [], expression: "", inspect: { .success(.unopened($0)) }).priced(prices)
        return plan.summary + (plan.cost == nil ? prices.whyNoPrice(r).map { " (\($0))" } ?? "" : "")
    }
}

extension RequestField {
    /// The CLI flag that sets this field, for error messages.
    var flagName: String {
        switch self {
        case .model: return "model"
        case .prompt: return "prompt"
        case .taskType: return "task-type"
        case .references: return "image"
        case .size: return "size"
        case .aspectRatio: return "aspect-ratio"
        case .quality: return "quality"
        case .n: return "n"
        case .outputFormat: return "format"
        }
    }
}

