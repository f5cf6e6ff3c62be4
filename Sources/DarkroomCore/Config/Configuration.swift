import Foundation

/// What darkroom connects to: the result of flags, environment and config file,
/// in that order of precedence.
public struct Configuration: Sendable, Equatable {
    public var profile: String
    public var baseURL: URL
    public var apiKey: APIKey
    public var defaultModel: String?
    public var paths: DarkroomPaths
    /// Save results as soon as a task succeeds (config `download_results`, default true).
    public var downloadResults = true
    /// Bell and desktop notifications in the TUI (config `[notifications]`; both off by default).
    public var notifications = NotificationSettings()
    /// The user's price table, if the config has one.
    public var prices: PriceTable?
    /// `max_run_cost` and `balance_warning` from the config file.
    public var budget = Budget()
    /// `[preview] graphics` from the config file (nil: unset; `DARKROOM_GRAPHICS` wins).
    public var previewGraphics: String?
    /// The config file's styles by name (`[styles.NAME]`; empty when none). Global: the same for every profile.
    public var styles: [String: PromptStyle] = [:]
    /// `max_concurrent_submits` from the config file (default 2).
    public var maxConcurrentSubmits = 2
    /// The proxy, if any: `--proxy`, else the profile's `proxy`, else the
    /// environment's `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`.
    public var proxy = ProxySettings()
    /// What the config file holds that darkroom does not know (unknown keys, with
    /// the file, line and nearest known key): said once by the face that loaded it.
    public var warnings: [String] = []

    /// What the TUI's status bar says of the connection: profile, base URL, masked key
    /// (`work https://api.example.com · sk-…1a2b`).
    public var connectionLabel: String { "\(profile) \(baseURL.absoluteString) · \(apiKey.masked)" }
}

/// The command-line part of configuration. The key itself is never a flag
/// (it would show in `ps`); `keyFromStdin` carries what `--api-key-stdin` read.
public struct ConfigOverrides: Sendable, Equatable {
    public var baseURL: String?
    public var profile: String?
    public var keyFromStdin: String?
    public var allowInsecureHTTP: Bool
    /// `--proxy`: a proxy URL, or `none`.
    public var proxy: String?

    public init(baseURL: String? = nil, profile: String? = nil, keyFromStdin: String? = nil, allowInsecureHTTP: Bool = false,
                proxy: String? = nil) {
        self.proxy = proxy
        self.baseURL = baseURL
        self.profile = profile
        self.keyFromStdin = keyFromStdin
        self.allowInsecureHTTP = allowInsecureHTTP
    }
}

/// Builds a `Configuration`. Pure apart from the two seams it is given: reading
/// the config file and running a key command.
public struct ConfigResolver: Sendable {
    /// Reads the config file: its text and permission bits, or nil when absent.
    public var readFile: @Sendable (URL) throws -> (text: String, mode: UInt16)?
    /// Runs `api_key_command` and returns what it printed (default: `KeyCommand`,
    /// sharing the terminal, 120 s at most).
    public var runKeyCommand: @Sendable (String) throws -> String

    public init(readFile: @escaping @Sendable (URL) throws -> (text: String, mode: UInt16)? = ConfigResolver.readFromDisk,
                runKeyCommand: @escaping @Sendable (String) throws -> String = { try KeyCommand.run($0, mode: .attached) }) {
        self.readFile = readFile
        self.runKeyCommand = runKeyCommand
    }

    /// Loads and checks the config file alone (nil when there is none).
    /// Refuses a file that group or others can read.
    public func loadFile(paths: DarkroomPaths) throws(ConfigError) -> ConfigFile? {
        let raw: (text: String, mode: UInt16)?
        do { raw = try readFile(paths.configFile) } catch {
            throw .invalidFile("\(paths.configFile.path): \((error as? ConfigReadError)?.description ?? String(describing: error))")
        }
        guard let raw else { return nil }
        if raw.mode & 0o077 != 0 {
            throw .fileReadableByOthers(path: paths.configFile.path, mode: String(raw.mode & 0o777, radix: 8))
        }
        // What is wrong names the file.
        do { return try ConfigFile.parse(raw.text, path: paths.configFile.path) } catch {
            if case let .invalidFile(m) = error { throw .invalidFile("\(paths.configFile.path): \(m)") }
            throw error
        }
    }

    /// Resolves base URL, key and profile. Precedence: flag > environment > file.
    public func resolve(overrides: ConfigOverrides, environment env: [String: String]) throws(ConfigError) -> Configuration {
        let paths = DarkroomPaths(environment: env)
        let file = try loadFile(paths: paths)
        let explicitProfile = Self.explicitProfile(overrides.profile, environment: env)
        let profileName = explicitProfile ?? file?.defaultProfile ?? "default"
        let profile = file?.profiles[profileName]
        if profile == nil, let explicit = explicitProfile ?? file?.defaultProfile {
            throw .unknownProfile(explicit, known: (file?.profiles.keys).map { Array($0).sorted() } ?? [])
        }

        guard let rawURL = nonEmpty(overrides.baseURL) ?? nonEmpty(env["DARKROOM_BASE_URL"]) ?? nonEmpty(profile?.baseURL) else {
            throw .missingBaseURL
        }
        let url = try Self.checkBaseURL(rawURL, allowInsecureHTTP: overrides.allowInsecureHTTP)

        let key: APIKey
        if let stdin = overrides.keyFromStdin {
            guard let k = APIKey(stdin) else { throw .emptyKeyOnStdin }
            key = k
        } else if let k = nonEmpty(env["DARKROOM_API_KEY"]).flatMap(APIKey.init) {
            key = k
        } else if let k = nonEmpty(profile?.apiKey).flatMap(APIKey.init) {
            key = k
        } else if let cmd = nonEmpty(profile?.apiKeyCommand) {
            let out: String
            do { out = try runKeyCommand(cmd) } catch let e as KeyCommandError {
                throw .keyCommandFailed(e.description)
            } catch {
                throw .keyCommandFailed("api_key_command `\(TerminalSanitizer.clean(cmd))`: \(error)")
            }
            guard let k = APIKey(out) else { throw .keyCommandFailed("api_key_command `\(TerminalSanitizer.clean(cmd))` printed no key") }
            key = k
        } else {
            throw .missingKey(profile: profileName)
        }
        var config = Configuration(profile: profileName, baseURL: url, apiKey: key,
                             defaultModel: Self.defaultModel(environment: env, profile: profile), paths: paths,
                             downloadResults: file?.downloadResults ?? true, notifications: file?.notifications ?? NotificationSettings(), prices: file?.prices,
                             previewGraphics: file?.previewGraphics, maxConcurrentSubmits: file?.maxConcurrentSubmits ?? 2)
        config.warnings = file?.warnings ?? []
        config.budget = file?.budget ?? Budget()
        config.styles = file?.styles ?? [:]
        let explicitProxy = nonEmpty(overrides.proxy) ?? nonEmpty(profile?.proxy)
        if let explicitProxy { try Self.checkProxy(explicitProxy) }
        config.proxy = ProxySettings.from(environment: env, explicit: explicitProxy)
        return config
    }

    /// The profile named by `--profile`, else `DARKROOM_PROFILE`; nil when neither
    /// is set (an empty value is unset).
    public static func explicitProfile(_ flag: String?, environment env: [String: String]) -> String? {
        flag ?? trimmedNonEmpty(env["DARKROOM_PROFILE"])
    }

    /// The profile a command uses: `--profile`, else `DARKROOM_PROFILE`, else the
    /// file's `default_profile`, else `default`.
    public static func profileName(_ flag: String?, environment env: [String: String], file: ConfigFile?) -> String {
        explicitProfile(flag, environment: env) ?? file?.defaultProfile ?? "default"
    }

    /// The model used when none is given: `DARKROOM_MODEL` (an empty value is
    /// unset), else the profile's `default_model`.
    public static func defaultModel(environment env: [String: String], profile: ConfigFile.Profile?) -> String? {
        trimmedNonEmpty(env["DARKROOM_MODEL"]) ?? profile?.defaultModel
    }

    /// `resolve` on a thread of its own, so a slow `api_key_command` never holds
    /// a thread of the cooperative pool (or the terminal's).
    public func resolveOffPool(overrides: ConfigOverrides, environment env: [String: String]) async throws(ConfigError) -> Configuration {
        let result: Result<Configuration, ConfigError> = await withCheckedContinuation { c in
            let t = Thread {
                do throws(ConfigError) { c.resume(returning: .success(try self.resolve(overrides: overrides, environment: env))) } catch {
                    c.resume(returning: .failure(error))
                }
            }
            t.start()
        }
        return try result.get()
    }

    /// Accepts https URLs, and http only for loopback hosts unless allowed.
    public static func checkBaseURL(_ raw: String, allowInsecureHTTP: Bool) throws(ConfigError) -> URL {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
              scheme == "http" || scheme == "https", url.query == nil, url.fragment == nil
        else { throw .invalidBaseURL(TerminalSanitizer.clean(raw)) }
        // A key written into the URL would end up in the history, logs and screens.
        if url.user != nil || url.password != nil {
            var shown = URLComponents(url: url, resolvingAgainstBaseURL: false)
            shown?.user = nil
            shown?.password = nil
            throw .credentialsInBaseURL(TerminalSanitizer.clean(shown?.string ?? "\(scheme)://\(host)"))
        }
        if scheme == "http" && !allowInsecureHTTP && !isLoopback(host) { throw .insecureHTTP(raw) }
        return url
    }

    /// The variables that name the first profile's endpoint, key and profile: a
    /// profile switched to in the TUI is read as the config file writes it, without them.
    public static let firstProfileVariables = ["DARKROOM_BASE_URL", "DARKROOM_API_KEY", "DARKROOM_PROFILE"]

    /// A proxy URL curl can use (http, https, socks4(a), socks5(h), with a host), or `none`.
    public static func checkProxy(_ raw: String) throws(ConfigError) {
        if raw.lowercased() == "none" { return }
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
              ["http", "https", "socks4", "socks4a", "socks5", "socks5h"].contains(scheme)
        else { throw .invalidProxy(ProxySettings.redacted(raw)) }
    }

    /// 127.0.0.0/8, ::1 and localhost.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h.hasSuffix(".localhost") || h == "::1" { return true }
        let octets = h.split(separator: ".")
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    private func nonEmpty(_ s: String?) -> String? { Self.trimmedNonEmpty(s) }

    /// `s` without surrounding white space, or nil when nothing is left.
    public static func trimmedNonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    /// The file's text and mode with plain system calls, so what is wrong is said
    /// in words about the path (never Foundation's "error 256"): nil when there is
    /// no file (a dangling symbolic link is an error, not "no file").
    public static let readFromDisk: @Sendable (URL) throws -> (text: String, mode: UInt16)? = { url in
        var st = stat()
        if lstat(url.path, &st) != 0 {
            if errno == ENOENT { return nil }
            throw ConfigReadError("cannot look at it: \(String(cString: strerror(errno)))")
        }
        if stat(url.path, &st) != 0 { throw ConfigReadError("it is a symbolic link to something that does not exist") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw ConfigReadError("it is a folder, not a file") }
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ConfigReadError("cannot open it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 { if errno == EINTR { continue }; throw ConfigReadError("cannot read it: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > 1 << 20 { throw ConfigReadError("it is over 1 MiB: not a config file") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ConfigReadError("it is not UTF-8 text") }
        return (text, UInt16(st.st_mode & 0o7777))
    }
}

/// Why the config file could not be read, in words.
public struct ConfigReadError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
