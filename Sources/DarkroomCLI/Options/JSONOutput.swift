import ArgumentParser

/// `--json`, shared by every command that can print JSON.
struct JSONOutput: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(
        "Print JSON on stdout, and nothing else there.",
        discussion: "One object per task or request, one per line; `models` prints one array; `show`, `status`, `export` and `submit` without a run print one object."))
    var json = false
}
