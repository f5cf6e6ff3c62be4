import Foundation

/// Where darkroom keeps its files, from the XDG variables (tests point them at
/// temporary folders).
///
/// - config: `$XDG_CONFIG_HOME/darkroom/config.toml` (default `~/.config`), and
///   beside it the wildcard files, `wildcards/NAME.txt`
/// - data: `$XDG_DATA_HOME/darkroom` (default `~/.local/share`): history, results
/// - state: `$XDG_STATE_HOME/darkroom` (default `~/.local/state`): logs
/// - cache: `$XDG_CACHE_HOME/darkroom` (default `~/.cache`): things made again
///   when deleted (the demo's pictures, thumbnails)
public struct DarkroomPaths: Sendable, Equatable {
    public let configFile: URL
    /// `$XDG_CONFIG_HOME/darkroom/wildcards`: the files `{@NAME}` reads
    /// (`NAME.txt`, one choice per line; see `WildcardSet`). Never created by darkroom.
    public let wildcardsDirectory: URL
    public let dataDirectory: URL
    public let stateDirectory: URL
    public let cacheDirectory: URL

    public init(environment env: [String: String]) {
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func xdg(_ name: String, _ fallback: String) -> URL {
            // The spec says relative paths in these variables are invalid and must be ignored.
            if let v = env[name], v.hasPrefix("/") { return URL(fileURLWithPath: v, isDirectory: true) }
            return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(fallback, isDirectory: true)
        }
        configFile = xdg("XDG_CONFIG_HOME", ".config").appendingPathComponent("darkroom/config.toml")
        wildcardsDirectory = xdg("XDG_CONFIG_HOME", ".config").appendingPathComponent("darkroom/wildcards", isDirectory: true)
        dataDirectory = xdg("XDG_DATA_HOME", ".local/share").appendingPathComponent("darkroom", isDirectory: true)
        stateDirectory = xdg("XDG_STATE_HOME", ".local/state").appendingPathComponent("darkroom", isDirectory: true)
        cacheDirectory = xdg("XDG_CACHE_HOME", ".cache").appendingPathComponent("darkroom", isDirectory: true)
    }
}
