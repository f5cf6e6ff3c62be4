import ArgumentParser
import DarkroomCore
import Foundation

/// `darkroom batch FILE.jsonl`: one request per line, all validated before any is sent.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Submit one request per line of a JSON Lines file (or - for stdin); every line is checked before any is sent.",
        discussion: """
        Each line is a JSON object with the fields of submit's flags: model, prompt, size,
        aspect_ratio, quality, n, output_format, image (one) or images (several), task_type,
        style (a style of the config file). Prompts are sent as written ({a|b} and {@name} are not read).
        Blank lines are skipped. A line that is not valid (bad JSON, an unknown field, a
        request the model does not take) is exit 64 naming its line, and nothing is sent.
        Over 4 requests a terminal asks first; a script passes --yes.
          {"model": "gpt-image-2", "size": "1536x1024", "prompt": "a red fox in fog"}
          {"model": "NanoBanana2-1K", "aspect_ratio": "3:2", "prompt": "a red fox in fog", "n": 2}
        """)

    @Argument(help: "A JSON Lines file, or - to read standard input.")
    var file: String

    @Flag(name: .long, help: "List the requests and the total, and send nothing.")
    var dryRun = false

    @OptionGroup(title: "Output") var output: JSONOutput

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup(title: "Sending") var sending: SendingOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let text: String
        if file == "-" {
            if connection.apiKeyStdin { throw CLIFailure(.invalidInput, "batch - and --api-key-stdin both want standard input; give the key in DARKROOM_API_KEY") }
            text = ctx.readStdin()
        } else {
            let path = (file as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIFailure(.invalidInput, "cannot read \(path): \(FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file")")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        var requests: [ImageRequest] = []
        var names: [String] = []
        var problems: [String] = []
        // The config's styles, for lines that name one (a file that cannot be read is said by those lines).
        let paths = DarkroomPaths(environment: ctx.environment)
        let styles = Result { () throws(ConfigError) -> ConfigFile? in try ConfigResolver().loadFile(paths: paths) }
            .map { StyleSource(styles: $0?.styles ?? [:], file: paths.configFile.path) }
            .mapError { LineError(message: "style needs the config file's styles, but \($0.description)") }
        // Lines by their bytes: "\r\n" is one Character in Swift, so the text split on "\n" never splits a CRLF file.
        for (i, raw) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            do {
                requests.append(try Self.request(line, styles: styles))
                names.append("line \(i + 1)")
            } catch {
                problems.append("  line \(i + 1): \(error.message)")
            }
        }
        guard problems.isEmpty else {
            throw CLIFailure(.invalidInput, "\(problems.count == 1 ? "a line is" : "lines are") not valid; nothing was sent:\n" + problems.joined(separator: "\n"))
        }
        guard !requests.isEmpty else { throw CLIFailure(.invalidInput, "\(file == "-" ? "standard input" : file) holds no request (one JSON object per line)") }
        // The same limit as a submit's: a run is at most this many requests.
        guard requests.count <= RequestMatrix.limit else {
            throw CLIFailure(.invalidInput, "\(requests.count) requests: at most \(RequestMatrix.limit) go in one batch; nothing was sent (split the file)")
        }
        return try await RunSender(requests: requests, names: names, expression: "batch \(file == "-" ? "from standard input" : file)",
                                   axisValues: [], dryRun: dryRun, json: output.json, sending: sending, connection: connection).send(ctx)
    }

    struct LineError: Error { let message: String }

    /// The styles a line's `style` may name, and the config file they come from.
    struct StyleSource {
        let styles: [String: PromptStyle]
        let file: String
    }

    static let fields: Set<String> = ["model", "prompt", "size", "aspect_ratio", "quality", "n", "output_format", "image", "images", "task_type", "style"]

    /// One line: a JSON object of the request's fields; `style` names one of `styles`.
    static func request(_ line: String, styles: Result<StyleSource, LineError> = .success(StyleSource(styles: [:], file: "config.toml"))) throws(LineError) -> ImageRequest {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch { throw LineError(message: "not JSON: \(error.reason) at byte \(error.offset + 1)") }
        guard case let .object(members) = value else { throw LineError(message: "not a JSON object ({\"model\": …, \"prompt\": …})") }
        for (k, _) in members where !fields.contains(k) {
            throw LineError(message: "unknown field \"\(TerminalSanitizer.clean(k))\" (fields: \(fields.sorted().joined(separator: ", ")))")
        }
        func string(_ k: String) throws(LineError) -> String? {
            guard let v = value[k], v != .null else { return nil }
            guard let s = v.stringValue else { throw LineError(message: "\(k) must be a string") }
            return s
        }
        guard let model = try string("model") else { throw LineError(message: "no model") }
        guard let prompt = try string("prompt") else { throw LineError(message: "no prompt") }
        var n = 1
        if let v = value["n"], v != .null {
            guard let i = v.intValue else { throw LineError(message: "n must be a whole number from 1 to 8") }
            n = i
        }
        var images: [String] = []
        if let one = try string("image") { images.append(one) }
        if let many = value["images"], many != .null {
            guard let list = many.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else { throw LineError(message: "images must be a list of strings") }
            images += list.compactMap(\.stringValue)
        }
        let request = ImageRequest(model: model, prompt: prompt, taskType: try string("task_type"), references: images, size: try string("size"),
                                   aspectRatio: try string("aspect_ratio"), quality: try string("quality"), n: n,
                                   outputFormat: try string("output_format"))
        guard let name = try string("style") else { return request }
        let source = try styles.get()
        guard let style = source.styles[name] else { throw LineError(message: PromptStyle.unknown(name, styles: source.styles, file: source.file)) }
        return request.styled(style)
    }
}
