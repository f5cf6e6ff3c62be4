import Foundation

/// darkroom's config file, `config.toml`:
///
/// ```toml
/// default_profile = "work"      # optional; else "default"
///
/// [profiles.work]
/// base_url = "https://api.example.com"
/// api_key = "sk-..."            # or:
/// api_key_command = "pass show darkroom/work"
/// default_model = "gpt-image-2"
/// ```
///
/// Top level, optional: `download_results = false` turns off saving results on success.
///
/// Styles, named prompt wrappers (`PromptStyle`), the same for every profile:
///
/// ```toml
/// [styles.film]
/// prompt = "{prompt}, 35mm film, soft grain"
/// ```
///
/// Optional, off by default: a bell and a desktop notification (OSC 777 and OSC 9)
/// when a task ends in the TUI:
///
/// ```toml
/// [notifications]
/// bell = true
/// desktop = true
/// ```
public struct ConfigFile: Sendable, Equatable {
    public struct Profile: Sendable, Equatable {
        public var name: String
        public var baseURL: String?
        public var apiKey: String?
        public var apiKeyCommand: String?
        public var defaultModel: String?
        /// The HTTP proxy for this profile (`proxy`): a URL, or `none`.
        public var proxy: String? = nil
    }

    public var defaultProfile: String?
    /// Save results as soon as a task succeeds. Default true.
    public var downloadResults: Bool?
    /// `max_concurrent_submits`: how many submits of a run may be in flight at
    /// once (1 to 8; nil: unset, 2).
    public var maxConcurrentSubmits: Int?
    public var profiles: [String: Profile]
    public var notifications = NotificationSettings()
    /// The user's own prices, for estimates before submitting (`[prices]`, see `PriceTable`).
    public var prices: PriceTable?
    /// `max_run_cost` and `balance_warning`, in dollars.
    public var budget = Budget()
    /// `[preview] graphics`: how pictures reach the terminal (`auto`, `kitty`,
    /// `iterm2`, `sixel`, `cells`, `none`); nil when unset. `DARKROOM_GRAPHICS` wins.
    public var previewGraphics: String?
    public static let graphicsValues = ["auto", "kitty", "iterm2", "sixel", "cells", "none"]
    /// `[styles.NAME]`: the styles by name (empty when the file has none). Global,
    /// not per profile; a bad style makes the whole file an error, as a bad value does.
    public var styles: [String: PromptStyle] = [:]

    /// Unknown keys, each said once (`ConfigKeys`): a typo is not silently ignored.
    public var warnings: [String] = []

    /// Reads the text of a config file (TOML 1.0, read by `TOMLParser`). Unknown
    /// keys are not errors (newer darkroom versions may add some) but each is a
    /// warning naming `path`, its line and the nearest known key; wrong types are errors.
    public static func parse(_ text: String, path: String = "config.toml") throws(ConfigError) -> ConfigFile {
        let root: TOMLValue
        do { root = try TOMLParser.parse(text) } catch { throw .invalidFile(error.description) }
        var file = ConfigFile(defaultProfile: nil, downloadResults: nil, profiles: [:])
        file.warnings = ConfigKeys.unknown(root, text: text, path: path)
        if let v = root["download_results"] {
            guard let b = v.bool else { throw .invalidFile("download_results must be true or false") }
            file.downloadResults = b
        }
        if let v = root["max_concurrent_submits"] {
            guard case let .integer(i) = v, (1...8).contains(i) else { throw .invalidFile("max_concurrent_submits must be a whole number from 1 to 8") }
            file.maxConcurrentSubmits = Int(i)
        }
        file.prices = try PriceTable.parse(root)
        file.styles = try PromptStyle.parse(root)
        for (key, path) in [("max_run_cost", \Budget.maxRunCost), ("balance_warning", \Budget.balanceWarning)] {
            guard let v = root[key] else { continue }
            guard let d = v.number, d.isFinite, d >= 0 else { throw .invalidFile("\(key) must be a number of dollars, 0 or more (e.g. \(key) = 2.50)") }
            file.budget[keyPath: path] = d
        }
        if let n = root["notifications"] {
            guard let members = n.members else { throw .invalidFile("notifications must be a table: [notifications]") }
            for (key, v) in members {
                guard let b = v.bool else { throw .invalidFile("[notifications] \(key) must be true or false") }
                switch key {
                case "bell": file.notifications.bell = b
                case "desktop": file.notifications.desktop = b
                default: break
                }
            }
        }
        if let p = root["preview"] {
            guard let members = p.members else { throw .invalidFile("preview must be a table: [preview]") }
            if let v = members.first(where: { $0.0 == "graphics" })?.1 {
                guard let g = v.string, graphicsValues.contains(g.lowercased()) else {
                    throw .invalidFile("[preview] graphics must be one of \(graphicsValues.map { "\"\($0)\"" }.joined(separator: ", "))")
                }
                file.previewGraphics = g.lowercased()
            }
        }
        if let v = root["default_profile"] {
            guard let s = v.string else { throw .invalidFile("default_profile must be a string") }
            file.defaultProfile = s
        }
        for section in ["profiles", "profile"] {
            guard let table = root[section] else { continue }
            guard let profiles = table.members else { throw .invalidFile("\(section) must be a table of profiles: [\(section).NAME]") }
            for (name, value) in profiles {
                guard let keys = value.members else { throw .invalidFile("[\(section).\(name)] must be a table") }
                func str(_ k: String) throws(ConfigError) -> String? {
                    guard let v = keys.first(where: { $0.0 == k })?.1 else { return nil }
                    guard let s = v.string else { throw .invalidFile("[\(section).\(name)] \(k) must be a string in quotes") }
                    return s
                }
                file.profiles[name] = Profile(
                    name: name, baseURL: try str("base_url"), apiKey: try str("api_key"),
                    apiKeyCommand: try str("api_key_command"), defaultModel: try str("default_model"),
                    proxy: try str("proxy"))
            }
        }
        return file
    }
}

/// Money limits the user sets (top level of the config file, in dollars):
///
/// ```toml
/// max_run_cost = 2.00     # a run estimated above this is asked about (TUI) or refused (CLI, unless --over-budget)
/// balance_warning = 1.00  # the status bar's balance turns to a warning colour below this (default 1.00)
/// ```
public struct Budget: Sendable, Equatable {
    /// The most one run (or one request) may be estimated to cost; nil: no limit.
    public var maxRunCost: Double?
    /// Below this many dollars left, the balance is shown as a warning. Default 1.
    public var balanceWarning: Double?

    public init(maxRunCost: Double? = nil, balanceWarning: Double? = nil) {
        self.maxRunCost = maxRunCost
        self.balanceWarning = balanceWarning
    }

    /// The warning threshold in effect (default $1.00).
    public var warningThreshold: Double { balanceWarning ?? 1 }
}

/// How the TUI tells that a task ended, besides its status bar (which always
/// does). Both off by default.
public struct NotificationSettings: Sendable, Equatable {
    /// Ring the terminal bell.
    public var bell = false
    /// Ask the terminal for a desktop notification (OSC 777 and OSC 9; inside
    /// tmux this needs `set -g allow-passthrough on`).
    public var desktop = false

    public init(bell: Bool = false, desktop: Bool = false) {
        self.bell = bell
        self.desktop = desktop
    }
}

/// Why no usable configuration could be made. Each message names what to do.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidFile(String)
    case fileReadableByOthers(path: String, mode: String)
    case unknownProfile(String, known: [String])
    case missingBaseURL
    case invalidBaseURL(String)
    case invalidProxy(String)
    /// The base URL holds a user name or password (shown here without them).
    case credentialsInBaseURL(String)
    case insecureHTTP(String)
    case missingKey(profile: String)
    case keyCommandFailed(String)
    case emptyKeyOnStdin

    public var description: String {
        switch self {
        case let .invalidFile(m): return "the config file cannot be read: \(m)"
        case let .fileReadableByOthers(path, mode):
            return "\(path) is readable by other users (mode \(mode)) and may hold a key; run `chmod 600 \(path)`"
        case let .unknownProfile(p, known):
            return "no profile \"\(p)\" in the config file" + (known.isEmpty ? "" : "; known profiles: \(known.sorted().joined(separator: ", "))")
        case .missingBaseURL:
            return "no base URL: pass --base-url, set DARKROOM_BASE_URL, or add base_url to a profile in the config file (try `darkroom simulator` for a local one)"
        case let .invalidBaseURL(u): return "\"\(u)\" is not a usable base URL; write it like https://api.example.com"
        case let .invalidProxy(u):
            return "\"\(u)\" is not a usable proxy; write it like http://proxy.example.com:3128 (or https://, socks5h://), or none"
        case let .credentialsInBaseURL(u):
            return "the base URL holds a user name or key (user:…@host), which would be stored and shown; write it as \(u) and put the key in DARKROOM_API_KEY, or in the profile's api_key or api_key_command"
        case let .insecureHTTP(u):
            return "\(u) uses plain http, which would send the key unencrypted; use https, or pass --allow-insecure-http if you really mean it"
        case let .missingKey(p):
            return "no API key: set DARKROOM_API_KEY, pipe it with --api-key-stdin, or add api_key or api_key_command to the profile \"\(p)\" (keys are never accepted as a flag)"
        case let .keyCommandFailed(m): return "the profile's \(m); fix it or set DARKROOM_API_KEY"
        case .emptyKeyOnStdin: return "--api-key-stdin was given but standard input held no key"
        }
    }
}
