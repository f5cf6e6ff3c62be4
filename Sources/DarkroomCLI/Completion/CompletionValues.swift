import ArgumentParser
import DarkroomCore
import DarkroomHistory
import Foundation

/// The values a completion script asks darkroom for when Tab is pressed: one
/// function per kind of value, each fast (no network), silent (nothing printed)
/// and empty rather than failing (a missing or unreadable config or history
/// gives no candidates).
///
/// ArgumentParser calls these through `completion: .custom { ... }` on the
/// options (see `CompletionKind` extensions below), with the words of the
/// command line; the shell filters the candidates by what is typed.
enum CompletionValues {
    /// The environment the command runs in (the process's, or a test's).
    static var environment: [String: String] { CLIContext.current.environment }

    /// The profile names of the config file (`$XDG_CONFIG_HOME/darkroom/config.toml`),
    /// sorted. Read even when the file's mode would be refused: the command says so.
    static func profiles(environment env: [String: String] = environment) -> [String] {
        let paths = DarkroomPaths(environment: env)
        guard let raw = try? ConfigResolver.readFromDisk(paths.configFile),
              let file = try? ConfigFile.parse(raw.text, path: paths.configFile.path) else { return [] }
        return file.profiles.keys.sorted()
    }

    /// The style names of the config file (`[styles.NAME]`), sorted; none when the
    /// file is missing or cannot be read.
    static func styles(environment env: [String: String] = environment) -> [String] {
        let paths = DarkroomPaths(environment: env)
        guard let raw = try? ConfigResolver.readFromDisk(paths.configFile),
              let file = try? ConfigFile.parse(raw.text, path: paths.configFile.path) else { return [] }
        return file.styles.keys.sorted()
    }

    /// Every model id of the catalog, in the catalog's order.
    static func models() -> [String] {
        Catalog.models.map(\.id)
    }

    /// gpt-image-2's sizes (`WIDTHxHEIGHT`) when a model named by `--model` among
    /// `words` (the command line) takes one: gpt-image-2, a model not in the
    /// catalog, or no `--model` at all. None when every model there is a NanoBanana
    /// one: `submit` refuses a size for those (they take an aspect ratio).
    static func sizes(words: [String]) -> [String] {
        let ids = modelIDs(in: words)
        let takesSize = ids.isEmpty || ids.contains { Catalog.model($0).map { $0.family == .gptImage2 } ?? true }
        return takesSize ? GPTImageSize.all.map(\.name) : []
    }

    /// The NanoBanana aspect ratios.
    static func aspectRatios() -> [String] {
        AspectRatio.allCases.map(\.rawValue)
    }

    /// The run ids of the history (`$XDG_DATA_HOME/darkroom/history.sqlite`), newest
    /// first: those with requests not sent yet, then those of the latest 1,000 tasks.
    /// No history file: none (it is not created).
    static func runIDs(environment env: [String: String] = environment) async -> [String] {
        guard let store = existingHistory(env) else { return [] }
        var ids: [Int64] = []
        if let unsent = try? await store.unsent(run: nil) { ids += unsent.reversed().compactMap(\.runID) }
        if let recent = try? await store.search(HistoryQuery(limit: 1000)) { ids += recent.compactMap(\.runID) }
        var seen: Set<Int64> = []
        return ids.filter { seen.insert($0).inserted }.map(String.init)
    }

    /// The tags in the history, most used first. No history file: none.
    static func tags(environment env: [String: String] = environment) async -> [String] {
        guard let store = existingHistory(env), let counts = try? await store.tagCounts() else { return [] }
        return counts.map(\.tag.name)
    }

    /// `darkroom tag TASK ...`: nothing in the task's place; after it, `+tag` for
    /// the history's tags the task has not, `-tag` for those it has.
    static func tagChanges(words: [String], index: Int, environment env: [String: String] = environment) async -> [String] {
        guard let at = words.firstIndex(of: "tag"), index >= at + 2, at + 1 < words.count, let store = existingHistory(env) else { return [] }
        let all = ((try? await store.tagCounts()) ?? []).map(\.tag.name)
        // The task as the command reads it: #12 or 12 (a server's id is not looked up here).
        let ref = words[at + 1].trimmingCharacters(in: .whitespaces)
        var has: [String] = []
        if let id = StudioSession.localID(ref) ?? Int64(ref), let r = try? await store.record(localID: id) { has = r.tags.map(\.name) }
        return all.filter { !has.contains($0) }.map { "+" + $0 } + has.map { "-" + $0 }
    }

    /// The `--model` values among `words` (`--model X` and `--model=X`).
    static func modelIDs(in words: [String]) -> [String] {
        var ids: [String] = []
        var i = words.startIndex
        while i < words.endIndex {
            let w = words[i]
            if w == "--model", i + 1 < words.endIndex, !words[i + 1].isEmpty {
                ids.append(words[i + 1])
                i += 1
            } else if w.hasPrefix("--model=") {
                ids.append(String(w.dropFirst("--model=".count)))
            }
            i += 1
        }
        return ids
    }

    /// The history, if its file exists, opened with a short lock wait (a Tab press
    /// must not wait for another darkroom's long write).
    private static func existingHistory(_ env: [String: String]) -> HistoryStore? {
        let path = HistoryStore.path(in: DarkroomPaths(environment: env))
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try? HistoryStore(path: path, busyTimeout: 0.5)
    }
}

/// The completions options declare (`@Option(..., completion: .profiles)`).
extension CompletionKind {
    /// Profile names from the config file.
    static var profiles: CompletionKind { .custom { _, _, _ in CompletionValues.profiles() } }
    /// Style names from the config file.
    static var styles: CompletionKind { .custom { _, _, _ in CompletionValues.styles() } }
    /// Model ids from the catalog.
    static var models: CompletionKind { .custom { _, _, _ in CompletionValues.models() } }
    /// gpt-image-2 sizes, for the models on the command line.
    static var sizes: CompletionKind { .custom { words, _, _ in CompletionValues.sizes(words: words) } }
    /// The aspect ratios (fixed by the API: written into the script).
    static var aspectRatios: CompletionKind { .list(CompletionValues.aspectRatios()) }
    /// Tags from the history (`--tag`).
    static var tags: CompletionKind { .custom { _, _, _ in await CompletionValues.tags() } }
    /// `+tag` and `-tag` after the task of `darkroom tag ID ...` (see `CompletionValues.tagChanges`).
    static var tagChanges: CompletionKind {
        .custom { words, index, _ in await CompletionValues.tagChanges(words: words, index: index) }
    }
    /// Run ids from the history.
    static var runIDs: CompletionKind { .custom { _, _, _ in await CompletionValues.runIDs() } }
}
