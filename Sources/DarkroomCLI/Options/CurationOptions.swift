import ArgumentParser
import DarkroomCore

/// `--starred`, `--tag`, `--hidden`: which tasks of the history by what the user
/// marked (`history`, `export`). Without `--hidden`, hidden tasks are left out.
struct CurationOptions: ParsableArguments {
    @Flag(name: .long, help: "Only starred tasks (the task or one of its pictures).")
    var starred = false

    @Option(name: .long, help: ArgumentHelp("Only tasks with this tag (repeatable: every one).", valueName: "name"), completion: .tags)
    var tag: [String] = []

    @Flag(name: .long, help: "Only hidden tasks (left out otherwise).")
    var hidden = false

    /// Sets the query's filters; a bad tag is refused with the reason.
    func apply(to q: inout HistoryQuery) throws(CLIFailure) {
        q.starred = starred
        q.hidden = hidden ? .hidden : .shown
        q.tags = []
        for t in tag {
            switch TaskTag.parse(t) {
            case .success(let tag): q.tags.append(tag)
            case .failure(let e): throw CLIFailure(.invalidInput, "--tag \(TerminalSanitizer.clean(t)): \(e)")
            }
        }
    }
}
