import ArgumentParser

/// Flags shared by the commands that send paid requests (`submit`, `batch`, `rerun`).
struct SendingOptions: ParsableArguments {
    @Flag(name: .long, help: "Send without asking: a run of more than 4 requests, or a prompt over 8,000 characters (required without a terminal).")
    var yes = false

    @Flag(name: .long, help: "Poll until every task sent finishes and save the results; exit 0 only if all succeeded.")
    var wait = false

    @Flag(name: .long, help: "Do not save results on success (they are saved by default, before their links expire).")
    var noDownload = false

    @Flag(name: .long, help: "Send even when the estimate is over max_run_cost or over the key's balance.")
    var overBudget = false

    var download: Bool { !noDownload }
}
