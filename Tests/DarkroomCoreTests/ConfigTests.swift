import DarkroomTestSupport
import Foundation
import Testing
@testable import DarkroomCore

@Suite("Configuration")
struct ConfigTests {
    let fileText = """
    # darkroom config
    default_profile = "work"

    [profiles.work]
    base_url = "https://work.example.com"   # the team gateway
    api_key = "sk-work-file-key-0001"
    default_model = "NanoBanana2-1K"

    [profiles."home"]
    base_url = 'https://home.example.com'
    api_key_command = "echo sk-from-command-9999"
    """

    func resolver(_ text: String?, mode: UInt16 = 0o600, command: @escaping @Sendable (String) throws -> String = { _ in "sk-cmd-key-0000\n" }) -> ConfigResolver {
        ConfigResolver(readFile: { _ in text.map { ($0, mode) } }, runKeyCommand: command)
    }

    let env = ["HOME": "/home/u", "XDG_CONFIG_HOME": "/tmp/cfg"]

    @Test("takes the file's default profile when nothing overrides it")
    func fromFile() throws {
        let c = try resolver(fileText).resolve(overrides: ConfigOverrides(), environment: env)
        #expect(c.profile == "work")
        #expect(c.baseURL.absoluteString == "https://work.example.com")
        #expect(c.apiKey.reveal() == "sk-work-file-key-0001")
        #expect(c.defaultModel == "NanoBanana2-1K")
    }

    @Test("prefers environment over file, and flags over environment")
    func precedence() throws {
        var e = env
        e["DARKROOM_BASE_URL"] = "https://env.example.com"
        e["DARKROOM_API_KEY"] = "sk-env-key-0002"
        let fromEnv = try resolver(fileText).resolve(overrides: ConfigOverrides(), environment: e)
        #expect(fromEnv.baseURL.absoluteString == "https://env.example.com")
        #expect(fromEnv.apiKey.reveal() == "sk-env-key-0002")
        let fromFlags = try resolver(fileText).resolve(
            overrides: ConfigOverrides(baseURL: "https://flag.example.com", keyFromStdin: "sk-stdin-key-0003\n"), environment: e)
        #expect(fromFlags.baseURL.absoluteString == "https://flag.example.com")
        #expect(fromFlags.apiKey.reveal() == "sk-stdin-key-0003")
    }

    @Test("runs the profile's key command")
    func keyCommand() throws {
        let c = try resolver(fileText, command: { cmd in
            #expect(cmd == "echo sk-from-command-9999")
            return "sk-from-command-9999\n"
        }).resolve(overrides: ConfigOverrides(profile: "home"), environment: env)
        #expect(c.apiKey.reveal() == "sk-from-command-9999")
        #expect(c.baseURL.host == "home.example.com")
    }

    @Test("runs a real key command through the shell, attached or detached")
    func realShell() throws {
        #expect(try KeyCommand.run("printf 'sk-real-0000'", mode: .attached) == "sk-real-0000")
        #expect(try KeyCommand.run("printf 'sk-real-0000'", mode: .detached) == "sk-real-0000")
    }

    @Test("a key command that fails says which command, how, and what it wrote on stderr")
    func keyCommandFails() {
        #expect(throws: KeyCommandError(command: "echo 'vault is sealed' >&2; exit 3", reason: "it exited with status 3: vault is sealed")) {
            try KeyCommand.run("echo 'vault is sealed' >&2; exit 3", mode: .detached)
        }
        #expect(throws: KeyCommandError(command: "kill -9 $$", reason: "it was killed by signal 9")) {
            try KeyCommand.run("kill -9 $$", mode: .detached)
        }
    }

    @Test("a key command that does not finish is stopped at its limit, its children too, with a message")
    func keyCommandTimesOut() {
        let started = ContinuousClock.now
        #expect(throws: KeyCommandError(command: "sleep 30 & sleep 30", reason: "it did not finish within 0.3 s and was stopped")) {
            try KeyCommand.run("sleep 30 & sleep 30", mode: .detached, timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("detached, a key command reads nothing from the terminal and has none to open")
    func keyCommandDetached() throws {
        // stdin is /dev/null: `cat` ends at once instead of waiting for the keyboard.
        #expect(try KeyCommand.run("cat; printf sk-after-cat", mode: .detached) == "sk-after-cat")
        // No controlling terminal: opening /dev/tty fails (pinentry-curses cannot take the screen).
        #expect(try KeyCommand.run("if (: < /dev/tty) 2>/dev/null; then printf tty; else printf none; fi", mode: .detached) == "none")
    }

    @Test("the resolver's message names the key command and what to do")
    func resolverMessage() {
        let text = """
            [profiles.default]
            base_url = "https://api.example.com"
            api_key_command = "pass show darkroom"
            """
        let r = ConfigResolver(readFile: { _ in (text, 0o600) },
                               runKeyCommand: { try KeyCommand.run("echo 'gpg: decryption failed' >&2; exit 2", mode: .detached) + $0 })
        do {
            _ = try r.resolve(overrides: ConfigOverrides(), environment: ["HOME": "/tmp"])
            Issue.record("expected a failure")
        } catch {
            #expect(error.description.contains("gpg: decryption failed"))
            #expect(error.description.contains("set DARKROOM_API_KEY"))
        }
    }

    @Test("refuses a config file that others can read, naming chmod 600", arguments: [UInt16(0o644), 0o640, 0o604])
    func permissions(mode: UInt16) {
        #expect(throws: ConfigError.fileReadableByOthers(path: "/tmp/cfg/darkroom/config.toml", mode: String(mode, radix: 8))) {
            try resolver(fileText, mode: mode).resolve(overrides: ConfigOverrides(), environment: env)
        }
        let message = ConfigError.fileReadableByOthers(path: "/p", mode: "644").description
        #expect(message.contains("chmod 600 /p"))
    }

    @Test("checks the mode of a real file on disk")
    func realFile() throws {
        let dir = TempDir()
        let path = dir.file("darkroom/config.toml", Array(fileText.utf8), mode: 0o644)
        let e = ["HOME": "/home/u", "XDG_CONFIG_HOME": dir.url.path]
        #expect(throws: ConfigError.self) { try ConfigResolver().resolve(overrides: ConfigOverrides(), environment: e) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try ConfigResolver().resolve(overrides: ConfigOverrides(), environment: e).profile == "work")
    }

    @Test("allows plain http only on loopback unless told otherwise")
    func insecure() throws {
        #expect(try ConfigResolver.checkBaseURL("http://127.0.0.1:8080", allowInsecureHTTP: false).port == 8080)
        #expect(try ConfigResolver.checkBaseURL("http://localhost:1", allowInsecureHTTP: false).host == "localhost")
        #expect(try ConfigResolver.checkBaseURL("http://[::1]:9/", allowInsecureHTTP: false).port == 9)
        #expect(throws: ConfigError.insecureHTTP("http://api.example.com")) {
            try ConfigResolver.checkBaseURL("http://api.example.com", allowInsecureHTTP: false)
        }
        #expect(try ConfigResolver.checkBaseURL("http://api.example.com", allowInsecureHTTP: true).host == "api.example.com")
        #expect(throws: ConfigError.self) { try ConfigResolver.checkBaseURL("ftp://x", allowInsecureHTTP: true) }
        #expect(throws: ConfigError.self) { try ConfigResolver.checkBaseURL("api.example.com", allowInsecureHTTP: true) }
    }

    @Test("says what to set when there is no base URL or key")
    func missing() {
        #expect(throws: ConfigError.missingBaseURL) { try resolver(nil).resolve(overrides: ConfigOverrides(), environment: env) }
        #expect(throws: ConfigError.missingKey(profile: "default")) {
            try resolver(nil).resolve(overrides: ConfigOverrides(baseURL: "https://x.example"), environment: env)
        }
        #expect(throws: ConfigError.unknownProfile("nope", known: ["home", "work"])) {
            try resolver(fileText).resolve(overrides: ConfigOverrides(profile: "nope"), environment: env)
        }
    }

    @Test("reports a TOML error with its line")
    func badTOML() {
        #expect(throws: ConfigError.invalidFile("line 2, column 12: cannot read the value \"https://x\": strings need quotes, like \"https://x\"")) {
            try ConfigFile.parse("[profiles.a]\nbase_url = https://x\n")
        }
    }

    @Test("puts data, state and config under the XDG folders")
    func paths() {
        let p = DarkroomPaths(environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/d", "XDG_STATE_HOME": "relative/ignored"])
        #expect(p.dataDirectory.path == "/d/darkroom")
        #expect(p.stateDirectory.path == "/home/u/.local/state/darkroom")
        #expect(p.configFile.path == "/home/u/.config/darkroom/config.toml")
    }
}

@Suite("Notification settings in the config file")
struct NotificationConfigTests {
    @Test("off by default; [notifications] turns the bell and desktop on")
    func parse() throws {
        #expect(try ConfigFile.parse("").notifications == NotificationSettings())
        let f = try ConfigFile.parse("[notifications]\nbell = true\ndesktop = true\n")
        #expect(f.notifications == NotificationSettings(bell: true, desktop: true))
    }

    @Test("a value that is not true or false is refused with its name")
    func wrongType() {
        #expect(throws: ConfigError.invalidFile("[notifications] bell must be true or false")) {
            try ConfigFile.parse("[notifications]\nbell = \"yes\"\n")
        }
    }
}

@Suite("[preview] in the config file")
struct PreviewConfigTests {
    @Test("graphics: unset by default, any of the six ways (any case), anything else refused with the list")
    func graphics() throws {
        #expect(try ConfigFile.parse("").previewGraphics == nil)
        #expect(try ConfigFile.parse("[preview]\ngraphics = \"Kitty\"\n").previewGraphics == "kitty")
        for v in ConfigFile.graphicsValues { #expect(try ConfigFile.parse("[preview]\ngraphics = \"\(v)\"\n").previewGraphics == v) }
        #expect(throws: ConfigError.invalidFile("[preview] graphics must be one of \"auto\", \"kitty\", \"iterm2\", \"sixel\", \"cells\", \"none\"")) {
            try ConfigFile.parse("[preview]\ngraphics = \"blocks\"\n")
        }
        #expect(throws: ConfigError.invalidFile("preview must be a table: [preview]")) { try ConfigFile.parse("preview = 1\n") }
    }
}

@Suite("Price table")
struct PriceTableTests {
    static let text = """
        [prices]
        currency = "$"
        NanoBanana = 0.02
        "NanoBanana2-0.5K" = 0.03
        NanoBananaPro-4K = 0.24

        [prices.gpt-image-2]
        "1024x1024/high" = 0.17
        "1024x1024" = 0.04
        "*/low" = 0.01
        "*" = 0.05
        """

    @Test("per model, and for gpt-image-2 the most specific of size/quality, size, */quality, *")
    func lookup() throws {
        let p = try #require(try ConfigFile.parse(Self.text).prices)
        #expect(p.perImage(ImageRequest(model: "NanoBanana", prompt: "x")) == 0.02)
        #expect(p.perImage(ImageRequest(model: "NanoBanana2-0.5K", prompt: "x")) == 0.03)
        #expect(p.perImage(ImageRequest(model: "NanoBanana2-1K", prompt: "x")) == nil)
        var g = ImageRequest(model: "gpt-image-2", prompt: "x", size: "1024x1024")
        g.quality = "high"
        #expect(p.perImage(g) == 0.17)
        g.quality = "medium"
        #expect(p.perImage(g) == 0.04)
        g.size = "3840x2160"
        #expect(p.perImage(g) == 0.05)
        g.quality = "low"
        #expect(p.perImage(g) == 0.01)
        g.n = 3
        #expect(p.estimate(g) == 0.03)
        #expect(p.format(0.03) == "$0.030")
        #expect(p.format(1.5) == "$1.50")
    }

    @Test("no [prices], no table; billable units are images times the tier's weight")
    func units() throws {
        #expect(try ConfigFile.parse("").prices == nil)
        #expect(PriceTable.billableUnits(ImageRequest(model: "NanoBananaPro-4K", prompt: "x", n: 2)) == 8)
        #expect(PriceTable.billableUnits(ImageRequest(model: "NanoBanana2-0.5K", prompt: "x")) == 0.5)
        #expect(PriceTable.billableUnits(ImageRequest(model: "NanoBanana", prompt: "x")) == 1)
        #expect(PriceTable.billableUnits(ImageRequest(model: "gpt-image-2", prompt: "x", size: "2048x1152")) == 2)
    }

    @Test("mistakes are refused with what to write instead",
          arguments: [("[prices]\nNanoBanana = \"cheap\"", "[prices] NanoBanana must be a number of 0 or more (a price per image)"),
                      ("[prices]\nNanoBanana3 = 1", "[prices] NanoBanana3 is not a model name"),
                      ("[prices.gpt-image-2]\n\"1000x1000\" = 1", "[prices.gpt-image-2] \"1000x1000\" must be SIZE, SIZE/QUALITY"),
                      ("[prices.gpt-image-2]\n\"*/ultra\" = 1", "[prices.gpt-image-2] \"*/ultra\" must be SIZE")])
    func mistakes(_ text: String, _ message: String) {
        do {
            _ = try ConfigFile.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}

@Suite("Configuration: what is wrong is said")
struct ConfigWarningTests {
    let env = ["HOME": "/home/u", "XDG_CONFIG_HOME": "/tmp/cfg"]

    @Test("an unknown key is a warning naming the file, the line and the nearest known key; the rest still works")
    func unknownKeys() throws {
        let text = """
        max_concurent_submits = 3

        [profiles.work]
        bsae_url = "https://typo.example.com"
        base_url = "https://work.example.com"
        api_key = "sk-work-file-key-0001"
        colour = "red"

        [notifications]
        bel = true
        """
        let r = ConfigResolver(readFile: { _ in (text, 0o600) }, runKeyCommand: { _ in "" })
        let c = try r.resolve(overrides: ConfigOverrides(profile: "work"), environment: env)
        #expect(c.baseURL.absoluteString == "https://work.example.com")
        #expect(c.warnings.contains("/tmp/cfg/darkroom/config.toml:1: unknown key \"max_concurent_submits\", ignored; did you mean max_concurrent_submits?"),
                "\(c.warnings)")
        #expect(c.warnings.contains("/tmp/cfg/darkroom/config.toml:4: unknown key \"bsae_url\" in [profiles.work], ignored; did you mean base_url?"))
        #expect(c.warnings.contains { $0.contains("\"colour\" in [profiles.work], ignored") && !$0.contains("did you mean") })
        #expect(c.warnings.contains { $0.contains(":10: unknown key \"bel\" in [notifications]") && $0.contains("did you mean bell?") })
        #expect(c.warnings.count == 4)
    }

    @Test("a syntax error names the file")
    func syntaxError() {
        let r = ConfigResolver(readFile: { _ in ("base_url = ", 0o600) }, runKeyCommand: { _ in "" })
        #expect(throws: ConfigError.self) { try r.resolve(overrides: ConfigOverrides(), environment: env) }
        do { _ = try r.resolve(overrides: ConfigOverrides(), environment: env) } catch {
            #expect(error.description.hasPrefix("the config file cannot be read: /tmp/cfg/darkroom/config.toml: "), "\(error.description)")
        }
    }

    @Test("a dangling symbolic link, a folder and a file that is not UTF-8 are said in words about the path, never in Foundation's")
    func unreadable() throws {
        let dir = TempDir()
        let link = dir.url.appendingPathComponent("config.toml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: dir.url.appendingPathComponent("gone").path)
        #expect(throws: ConfigReadError.self) { _ = try ConfigResolver.readFromDisk(link) }
        do { _ = try ConfigResolver.readFromDisk(link) } catch { #expect("\(error)" == "it is a symbolic link to something that does not exist") }
        let folder = dir.url.appendingPathComponent("folder.toml")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do { _ = try ConfigResolver.readFromDisk(folder) } catch { #expect("\(error)" == "it is a folder, not a file") }
        let latin = dir.url.appendingPathComponent("latin.toml")
        try Data([0x61, 0xE9, 0x0A]).write(to: latin)
        do { _ = try ConfigResolver.readFromDisk(latin) } catch { #expect("\(error)" == "it is not UTF-8 text") }
        #expect(try ConfigResolver.readFromDisk(dir.url.appendingPathComponent("none.toml")) == nil, "no file: no config")
    }
}
