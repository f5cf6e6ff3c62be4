import ArgumentParser
import DarkroomCLI
import DarkroomCore
import DarkroomHistory
import DarkroomTestSupport
import Foundation
import Testing

/// `darkroom completion`: each script fed to its real shell, which asks the
/// real binary (first on PATH) for profiles, models, sizes and run ids, read
/// from a private config and history.
@Suite("Shell completion")
struct CompletionTests {
    /// A private home (config, history) and the environment a shell runs in there.
    final class Home: Sendable {
        let dir = TempDir(prefix: "darkroom-completion")
        var path: String { dir.url.path }

        var environment: [String: String] {
            ["HOME": path, "XDG_CONFIG_HOME": path + "/config", "XDG_DATA_HOME": path + "/data", "XDG_STATE_HOME": path + "/state",
             "XDG_CACHE_HOME": path + "/cache", "PATH": ProcessTests.binary.deletingLastPathComponent().path + ":/usr/bin:/bin",
             "LANG": "C.UTF-8"]
        }

        var historyPath: String { HistoryStore.path(in: DarkroomPaths(environment: environment)) }

        func writeConfig(_ text: String) {
            dir.file("config/darkroom/config.toml", Array(text.utf8))
        }

        /// The completion script for `shell`, written to a file; returns its path.
        func script(_ shell: CompletionShell) -> String {
            dir.file("darkroom.\(shell.rawValue)", Array(DarkroomCommand.completionScript(for: shell).utf8))
        }

        /// Records runs of `requests` requests each (not sent yet) and returns their ids.
        func addRuns(_ count: Int, requests: Int = 2) async throws -> [Int64] {
            let store = try HistoryStore(path: historyPath)
            var runs: [Int64] = []
            for i in 0..<count {
                let run = try await store.createRun(expression: "fox \(i)", axes: [], size: requests)
                let reqs = (0..<requests).map { j in
                    let r = ImageRequest(model: "NanoBanana", prompt: "fox \(i) \(j)")
                    return (r, try! RequestValidator.validate(r).get())
                }
                _ = try await store.recordWaiting(reqs, profile: "default", endpoint: "http://127.0.0.1:1/", run: run)
                runs.append(run)
            }
            return runs
        }
    }

    /// What bash's completion function offers for `line` (the cursor at its end),
    /// as a shell calls it on Tab; and what it wrote on stderr.
    static func bash(_ line: String, in home: Home) async throws -> (candidates: [String], stderr: String) {
        let driver = """
            source "$1"
            line=$2
            read -ra COMP_WORDS <<< "$line"
            [[ $line == *' ' ]] && COMP_WORDS+=('')
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE=$line
            COMP_POINT=${#line}
            spec=$(complete -p darkroom); fn=${spec##*-F }; fn=${fn%% *}
            "$fn" darkroom "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let (out, err, status) = try await run("/bin/bash", ["--norc", "--noprofile", "-c", driver, "bash", home.script(.bash), line], env: home.environment)
        #expect(status == 0, "bash: \(err)")
        return (out.split(separator: "\n").map(String.init).filter { !$0.isEmpty }, err)
    }

    /// Runs a program to its end (killed after 60 s: completion must never hang).
    static func run(_ program: String, _ args: [String], env: [String: String]) async throws -> (String, String, Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            p.terminate()
        }
        let (data, status) = await p.outputAndExitStatus(out)
        watchdog.cancel()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (String(decoding: data, as: UTF8.self), errText, status)
    }

    @Test("`completion SHELL` prints what --generate-completion-script prints; an unknown shell is refused")
    func printsScripts() async {
        let h = CLIHarness()
        for shell in ["bash", "zsh", "fish"] {
            #expect(await h.run(["completion", shell]) == 0)
            let script = h.stdout
            #expect(script.contains("darkroom") && script.contains("---completion"), "\(shell): \(script.prefix(200))")
            #expect(await h.run(["--generate-completion-script", shell]) == 0)
            #expect(h.stdout == script, "\(shell)")
            #expect(script == DarkroomCommand.completionScript(for: CompletionShell(rawValue: shell)!) + "\n")
        }
        #expect(await h.run(["completion", "tcsh"]) == 64)
        #expect(h.stdout.isEmpty)
        #expect(h.stderr.contains("error: no completion for \"tcsh\": darkroom completion takes bash, zsh or fish"), "\(h.stderr)")
    }

    @Test("bash completes commands, options and the completion command's shells")
    func bashCommandsAndOptions() async throws {
        let home = Home()
        #expect(try await Self.bash("darkroom sub", in: home).candidates == ["submit"])
        #expect(try await Self.bash("darkroom comp", in: home).candidates == ["completion"])
        #expect(try await Self.bash("darkroom submit --mo", in: home).candidates == ["--model"])
        #expect(try await Self.bash("darkroom history --ru", in: home).candidates == ["--run"])
        #expect(try await Self.bash("darkroom completion ", in: home).candidates.sorted() == ["bash", "fish", "zsh"])
        let run = try await Self.bash("darkroom run ", in: home).candidates
        #expect(run.filter { !$0.hasPrefix("-") } == ["resume", "pause", "cancel"] && run.contains("--help"), "\(run)")
    }

    @Test("bash completes model ids from the catalog, the sizes of the model on the line, and aspect ratios")
    func bashModelsAndSizes() async throws {
        let home = Home()
        let nano = Catalog.models.map(\.id).filter { $0.hasPrefix("Nano") }
        #expect(nano.count == 9)
        #expect(try await Self.bash("darkroom submit --model Nano", in: home).candidates == nano)
        #expect(try await Self.bash("darkroom submit --model gpt", in: home).candidates == ["gpt-image-2"])
        #expect(try await Self.bash("darkroom history --model NanoBananaPro-8", in: home).candidates == ["NanoBananaPro-8K"])
        #expect(try await Self.bash("darkroom export out --model NanoBanana2-0", in: home).candidates == ["NanoBanana2-0.5K"])

        let all = GPTImageSize.all.map(\.name)
        #expect(try await Self.bash("darkroom submit --size ", in: home).candidates == all)
        #expect(try await Self.bash("darkroom submit --model gpt-image-2 --size 15", in: home).candidates == all.filter { $0.hasPrefix("15") })
        // NanoBanana models take no size (submit refuses one): none offered; beside gpt-image-2, all.
        #expect(try await Self.bash("darkroom submit --model NanoBanana2-4K --size ", in: home).candidates.isEmpty)
        #expect(try await Self.bash("darkroom submit --model NanoBanana --model=NanoBananaPro-2K --prompt x --size ", in: home).candidates.isEmpty)
        #expect(try await Self.bash("darkroom submit --model NanoBanana2-4K --model gpt-image-2 --size ", in: home).candidates == all)
        // An unknown model (--allow-unknown-model) may take any size.
        #expect(try await Self.bash("darkroom submit --model NanoBanana2-1K --model seedream-4 --size ", in: home).candidates == all)

        #expect(try await Self.bash("darkroom submit --aspect-ratio 1", in: home).candidates == ["1:1", "16:9"])
        #expect(try await Self.bash("darkroom submit --aspect-ratio ", in: home).candidates == AspectRatio.allCases.map(\.rawValue))
    }

    @Test("bash completes profile names from the config file; none, and no error, without one or with a broken one")
    func bashProfiles() async throws {
        let home = Home()
        let none = try await Self.bash("darkroom submit --profile ", in: home)
        #expect(none.candidates.isEmpty && none.stderr.isEmpty, "\(none)")
        home.writeConfig("""
            default_profile = "work"
            [profiles.work]
            base_url = "https://api.example.com"
            [profiles.home]
            base_url = "https://api.example.org"
            [profiles.weekend]
            api_key = "sk-never-printed-0001"
            """)
        #expect(try await Self.bash("darkroom submit --profile ", in: home).candidates == ["home", "weekend", "work"])
        #expect(try await Self.bash("darkroom history --profile w", in: home).candidates == ["weekend", "work"])
        #expect(try await Self.bash("darkroom tui --profile h", in: home).candidates == ["home"])
        #expect(try await Self.bash("darkroom run resume 1 --profile wo", in: home).candidates == ["work"])
        home.writeConfig("[profiles.work\nbase_url = ")
        let broken = try await Self.bash("darkroom submit --profile ", in: home)
        #expect(broken.candidates.isEmpty && broken.stderr.isEmpty, "\(broken)")
    }

    @Test("bash completes style names from the config file for --style; none, and no error, without one")
    func bashStyles() async throws {
        let home = Home()
        let none = try await Self.bash("darkroom submit --style ", in: home)
        #expect(none.candidates.isEmpty && none.stderr.isEmpty, "\(none)")
        home.writeConfig("""
            [styles.film]
            prompt = "{prompt}, 35mm film"
            [styles.noir]
            prompt = "noir: {prompt}"
            [styles.fisheye]
            prompt = "{prompt}, fisheye lens"
            """)
        #expect(try await Self.bash("darkroom submit --style ", in: home).candidates == ["film", "fisheye", "noir"])
        #expect(try await Self.bash("darkroom submit --style f", in: home).candidates == ["film", "fisheye"])
    }

    @Test("bash completes run ids from the history; none, no error and no file made without one")
    func bashRunIDs() async throws {
        let home = Home()
        for line in ["darkroom run resume ", "darkroom history --run ", "darkroom rerun --run "] {
            let none = try await Self.bash(line, in: home)
            #expect(none.candidates.isEmpty && none.stderr.isEmpty, "\(line): \(none)")
        }
        #expect(!FileManager.default.fileExists(atPath: home.historyPath), "completion made a history")
        let runs = try await home.addRuns(12).map(String.init)
        #expect(runs == (1...12).map(String.init))
        for line in ["darkroom run resume ", "darkroom run pause ", "darkroom run cancel ", "darkroom history --run ", "darkroom rerun --run "] {
            let got = try await Self.bash(line, in: home)
            #expect(got.candidates.sorted() == runs.sorted(), "\(line)")
            #expect(got.stderr.isEmpty, "\(got.stderr)")
        }
        #expect(try await Self.bash("darkroom run resume 1", in: home).candidates.sorted() == ["1", "10", "11", "12"])
        // A file that is not a history: no candidates, no error.
        try FileManager.default.removeItem(atPath: home.historyPath)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: home.historyPath))
        let broken = try await Self.bash("darkroom run resume ", in: home)
        #expect(broken.candidates.isEmpty && broken.stderr.isEmpty, "\(broken)")
    }

    @Test("bash completes tags from the history: --tag of history and export, +tag and -tag for the tag command")
    func bashTags() async throws {
        let home = Home()
        #expect(try await Self.bash("darkroom history --tag ", in: home).candidates.isEmpty)
        let ids = try await home.addRuns(1)
        _ = ids
        let store = try HistoryStore(path: home.historyPath)
        let tags = ["night", "film", "nightscape"].map { try! TaskTag.parse($0).get() }
        try await store.changeTags(localID: 1, add: tags)
        try await store.changeTags(localID: 2, add: [tags[0]])
        #expect(try await Self.bash("darkroom history --tag ", in: home).candidates == ["night", "film", "nightscape"])
        #expect(try await Self.bash("darkroom history --tag nig", in: home).candidates.sorted() == ["night", "nightscape"])
        #expect(try await Self.bash("darkroom export out --tag f", in: home).candidates == ["film"])
        // Task 2 has night: + offers the others, - offers night.
        let changes = try await Self.bash("darkroom tag 2 +", in: home)
        #expect(changes.candidates.sorted() == ["+film", "+nightscape"] && changes.stderr.isEmpty, "\(changes)")
        #expect(try await Self.bash("darkroom tag 2 -ni", in: home).candidates == ["-night"])
        #expect(try await Self.bash("darkroom tag 1 -fi", in: home).candidates == ["-film"])
        #expect(try await Self.bash("darkroom tag 2 -fi", in: home).candidates.isEmpty, "task 2 has no film tag to remove")
        #expect(try await Self.bash("darkroom tag ", in: home).candidates.isEmpty, "nothing in the task's place")
    }

    @Test("a value asked for a command line the binary cannot read gives nothing, not an error")
    func badRequestIsSilent() async {
        let h = CLIHarness()
        for args in [["nosuchcommand", "--", "--model", "0", "0"], ["submit", "--", "--model", "x", "y"], ["submit", "--", "--nosuchoption", "0", "0"], []] {
            #expect(await h.run(["---completion"] + args) != 0, "\(args)")
            #expect(h.stdout.isEmpty && h.stderr.isEmpty, "\(args): \(h.stdout) \(h.stderr)")
        }
        #expect(await h.run(["---completion", "submit", "--", "--model", "2", "3", "darkroom", "submit", "gpt"]) == 0)
        #expect(h.stdout.split(separator: "\n").contains("gpt-image-2"))
    }
}
