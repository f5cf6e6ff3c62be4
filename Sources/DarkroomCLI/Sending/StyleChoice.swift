import DarkroomCore
import Foundation

/// The styles a command names (`submit --style`, a batch line's `style`), found
/// in the config file, and the wildcard files a prompt uses.
enum StyleChoice {
    /// The styles named, each once, in the order given. An unknown name, or a
    /// config file that cannot be read while a style is asked for, is exit 64
    /// (nothing is sent), naming the styles the file has or how to define one.
    static func resolve(_ names: [String], loaded: Result<ConfigFile?, ConfigError>, paths: DarkroomPaths) throws(CLIFailure) -> [PromptStyle] {
        guard !names.isEmpty else { return [] }
        let styles: [String: PromptStyle]
        switch loaded {
        case let .success(file): styles = file?.styles ?? [:]
        case let .failure(e): throw CLIFailure(.invalidInput, "--style needs the config file's styles, but \(e.description); nothing was sent")
        }
        var chosen: [PromptStyle] = []
        for name in names where !chosen.contains(where: { $0.name == name }) {
            guard let s = styles[name] else {
                throw CLIFailure(.invalidInput, "nothing was sent: " + PromptStyle.unknown(name, styles: styles, file: paths.configFile.path))
            }
            chosen.append(s)
        }
        return chosen
    }

    /// The wildcard files, read only when `prompt` uses one (`{@name}`).
    static func wildcards(for prompt: String, paths: DarkroomPaths) -> WildcardSet {
        PromptAlternatives.wildcardNames(prompt).isEmpty ? WildcardSet(folder: paths.wildcardsDirectory) : WildcardSet.load(folder: paths.wildcardsDirectory)
    }

    /// `style` in a command's JSON: `{"name", "prompt"}` (the prompt as typed), or null.
    static func json(_ style: StyleUse?) -> JSONValue {
        style.map { .object([("name", .string($0.name)), ("prompt", .string($0.prompt))]) } ?? .null
    }

    /// A request body as `--dry-run --json` prints it: the body's members, then
    /// `style` (darkroom's record of the style; never part of what is sent).
    static func withStyle(_ body: JSONValue, _ style: StyleUse?) -> JSONValue {
        guard case let .object(members) = body else { return body }
        return .object(members + [("style", json(style))])
    }

    /// "style film, typed: a red fox" (its first line, cleaned) for lists and stderr.
    static func label(_ style: StyleUse) -> String {
        let first = TerminalSanitizer.clean(String(style.prompt.split(separator: "\n").first ?? ""))
        return "style \(TerminalSanitizer.clean(style.name)), typed: \(first)"
    }
}
