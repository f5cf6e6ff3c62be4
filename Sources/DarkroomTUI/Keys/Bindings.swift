/// Every key darkroom reads, by context: what it does, the words on the help
/// screen and in the hint bar. `update` acts on this table, the hint bar and
/// the help screen are drawn from it, and a click on a hint presses its key.
/// Order matters: within a context the hint bar shows hints in this order and
/// drops them from the end when the screen is narrow.
extension Keymap {
    public static let bindings: [Binding] = [
        // Everywhere (without an overlay).
        Binding(.global, [.ctrl("s")], "send the composed request (asks first if it went seconds ago)", hint: "submit") { s, _ in Submit.send(&s) },
        Binding(.global, [.tab], "next field or pane", hint: "next") { s, _ in FocusRing.move(&s, by: 1) },
        Binding(.global, [.backTab], "previous field or pane") { s, _ in FocusRing.move(&s, by: -1) },
        Binding(.global, [.f(2), .alt("1")], "the composer") { s, _ in s.focus = .compose; return [] },
        Binding(.global, [.f(3), .alt("2")], "the task list") { s, _ in s.focus = .tasks; return [] },
        Binding(.global, [.f(4), .alt("3")], "the detail of the selected task") { s, _ in s.focus = .detail; return [] },
        Binding(.global, [.ctrl("t")], "show or hide the JSON the request sends") { s, _ in
            s.showJSON.toggle()
            s.jsonScroll = 0
            return []
        },
        Binding(.global, [.f(5)], "ask the server again: the key's models, balance and prices; read the wildcard files again (after a refused key: read the key again, resume polling)",
                hint: "resume polling",
                hintWhen: { $0.pollingPaused }) { s, _ in Polling.resume(&s) },
        Binding(.global, [.f(1)], "this help", hint: "help") { s, _ in s.overlay = .help(scroll: 0); return [] },

        // Even over lists, searches and help.
        Binding(.always, [.ctrl("c")], "quit (asks while a submit is in flight); watched tasks resume on the next start",
                hint: "quit", hintWhen: { $0.overlay == nil }) { s, _ in
            s.overlay = nil
            return Quit.request(&s)
        },
        Binding(.always, [.ctrl("z")], "suspend to the shell; fg comes back") { _, _ in [.suspend] },

        // Outside text fields, single letters are commands.
        Binding(.commands, [.char("q")], "quit, as Ctrl-C") { s, _ in Quit.request(&s) },
        Binding(.commands, [.char("?")], "this help") { s, _ in s.overlay = .help(scroll: 0); return [] },
        Binding(.commands, [.char("L")], "the message log: every notice in full, with its time and task", hint: "messages",
                hintWhen: { !$0.log.isEmpty }) { s, _ in s.overlay = .messages(scroll: 0); return [] },
        Binding(.commands, [.char("P")], "switch profile (endpoint and key)", hint: "profile",
                hintWhen: { $0.profiles.count > 1 }) { s, _ in Profiles.open(&s) },
        Binding(.commands, [.char("g")], "the gallery: every saved picture of the list as it is filtered", hint: "gallery",
                hintWhen: { $0.gallery == nil && $0.focus != .compose }) { s, _ in GalleryKeys.toggle(&s) },

        // The composer, any field.
        Binding(.composer, [.pageDown, .pageUp], "scroll the run's request list (or the JSON) under Ctrl-T when it does not fit",
                hint: "scroll list", hintKeys: "PgDn", hintWhen: { $0.showJSON && $0.composer.isRun }) { s, k in
            s.jsonScroll = max(0, min(s.jsonScroll + (k == .pageDown ? 10 : -10), max(0, s.composer.requestCount - 1)))
            return []
        },
        Binding(.composer, [.ctrl("r")], "search earlier prompts", hint: "search prompts",
                hintWhen: { $0.composer.field == .prompt }) { s, _ in PromptHistory.openSearch(&s) },

        // The prompt.
        Binding(.prompt, [.enter, .shiftEnter, .altEnter, .ctrl("j")], "a new line") { s, _ in ComposerKeys.insert(&s, "\n") },
        Binding(.prompt, [.up], "up a line; on the first line, the previous prompt from history", hint: "earlier prompts") { s, _ in
            ComposerKeys.promptUp(&s)
        },
        Binding(.prompt, [.down], "down a line; on the last, newer prompts, then the next field") { s, _ in ComposerKeys.promptDown(&s) },
        Binding(.prompt, [.ctrl("u")], "delete to the start of the line; at the very start, clear the whole prompt (Ctrl-Y brings it back)",
                hint: "clear", hintWhen: { $0.composer.editor.cursor == 0 && !$0.composer.editor.chars.isEmpty }) { s, _ in
            ComposerKeys.killToStart(&s)
        },

        // Text fields: the prompt, the references, the searches.
        Binding(.text, [], "type: text goes in; a paste arrives whole and never runs commands", hintKeys: "type") { _, _ in [] },
        Binding(.text, [.left, .right, .ctrl("b"), .ctrl("f")], "move") { s, k in Editing.apply(&s, k) },
        Binding(.text, [.ctrlLeft, .ctrlRight, .alt("b"), .alt("f")], "move by word") { s, k in Editing.apply(&s, k) },
        Binding(.text, [.home, .end, .ctrl("a"), .ctrl("e")], "start, end of the line") { s, k in Editing.apply(&s, k) },
        Binding(.text, [.backspace, .ctrl("h"), .delete, .ctrl("d")], "delete back, forward") { s, k in Editing.apply(&s, k) },
        Binding(.text, [.ctrl("w"), .alt("\u{7F}")], "delete the word before") { s, k in Editing.apply(&s, k) },
        Binding(.text, [.ctrl("u"), .ctrl("k")], "delete to the start, to the end of the line") { s, k in Editing.apply(&s, k) },
        Binding(.text, [.ctrl("y")], "put back what Ctrl-U, Ctrl-K or Ctrl-W deleted") { s, k in Editing.apply(&s, k) },

        // The Reference field.
        Binding(.references, [.tab], "complete a file path (a list when several match); with nothing typed, the next field",
                hint: "complete path") { s, _ in ReferenceCompletion.start(&s) },
        Binding(.references, [.up], "the previous field") { s, _ in ComposerKeys.move(&s, by: -1) },
        Binding(.references, [.down, .enter], "the next field") { s, _ in ComposerKeys.move(&s, by: 1) },

        // The other composer fields.
        Binding(.fields, [.left, .right, .char("h"), .char("l")], "change the value", hint: "change", hintKeys: "←→") { s, k in
            ComposerKeys.cycle(&s, k)
        },
        Binding(.fields, [.enter, .char(" ")], "a list of the values (sizes: ←→ tier, o shape)", hint: "list") { s, _ in
            ComposerKeys.openPicker(&s, s.composer.field)
            return []
        },
        Binding(.fields, [.backspace, .delete], "back to one value (after Space chose several)", hint: "one value", hintKeys: "⌫",
                hintWhen: { $0.composer.hasSeveral($0.composer.field) }) { s, _ in
            s.composer.clearChoices(s.composer.field)
            s.say(s.composer.isRun ? "\(s.composer.requestCount) requests" : "One request", transient: true)
            return []
        },
        Binding(.fields, [.up, .down, .char("k"), .char("j")], "move between fields", hint: "field", hintKeys: "↑↓") { s, k in
            ComposerKeys.move(&s, by: k == .up || k == .char("k") ? -1 : 1)
        },

        // The task list.
        Binding(.tasks, [.up, .down, .char("k"), .char("j"), .pageUp, .pageDown, .home, .end, .char("G")],
                "select (PgUp PgDn by page, Home End G to the ends)", hint: "select", hintKeys: "↑↓") { s, k in TaskList.select(&s, k) },
        Binding(.tasks, [.enter], "the detail", hint: "detail") { s, _ in
            if s.selected != nil { s.focus = .detail }
            return []
        },
        Binding(.tasks, [.char("/")], "search prompts", hint: "search") { s, _ in
            s.overlay = .filter(PromptEditor(s.filterText))
            return []
        },
        Binding(.tasks, [.char("s")], "filter: all, running, succeeded, failed, starred, hidden", hint: "filter") { s, _ in TaskList.cycleStatus(&s) },
        Binding(.tasks, [.escape], "clear the search and the status filter", hint: "clear filter",
                when: { !$0.filterText.isEmpty || $0.statusFilter != .all }) { s, _ in TaskList.clearFilters(&s) },
        Binding(.tasks, [.char("t")], "thumbnail column") { s, _ in TaskList.toggleThumbnails(&s) },

        // The selected task, from the list or the detail.
        // First, so their hints show on a request not sent yet, however narrow the screen.
        Binding(.taskActions, [.char("p")], "a run's requests not sent yet: hold those waiting, or send those paused", hint: "pause/send",
                hintWhen: { $0.selected?.state.isUnsent ?? false }) { s, _ in UnsentKeys.pauseOrResume(&s) },
        Binding(.taskActions, [.char("X")], "a run's requests not sent yet: cancel them (asks first)", hint: "cancel",
                hintWhen: { $0.selected?.state.isUnsent ?? false }) { s, _ in UnsentKeys.cancel(&s) },
        Binding(.taskActions, [.char("r")], "re-run: send the same request again", hint: "re-run") { s, _ in TaskActions.rerun(&s) },
        Binding(.taskActions, [.char("e")], "edit as new: load it into the composer", hint: "edit") { s, _ in TaskActions.edit(&s) },
        Binding(.taskActions, [.char("v")], "the picture full screen", hint: "view",
                hintWhen: { $0.selected.map { !PreviewPlanner.saved($0).isEmpty } ?? false }) { s, _ in TaskActions.view(&s) },
        Binding(.taskActions, [.char("m")], "NanoBanana ↔ gpt-image-2: load it mapped to the other family", hint: "other family") { s, _ in
            TaskActions.mapToOtherFamily(&s)
        },
        Binding(.taskActions, [.char("d")], "download the results again", hint: "download",
                hintWhen: { !($0.selected?.resultURLs.isEmpty ?? true) }) { s, _ in TaskActions.download(&s) },
        Binding(.taskActions, [.char("i")], "remix: the saved picture as the reference of a new request (its prompt ready to edit)",
                hint: "remix", hintWhen: { $0.selected.map { !PreviewPlanner.saved($0).isEmpty } ?? false }) { s, _ in Remix.start(&s) },
        Binding(.taskActions, [.char("+")], "add the saved picture to the references being composed (to combine pictures)") { s, _ in Remix.add(&s) },
        Binding(.taskActions, [.char("u")], "the task this one was made from (a remix's parent)") { s, _ in Lineage.up(&s) },
        Binding(.taskActions, [.char("n")], "a task made from this one (a remix of it)") { s, _ in Lineage.down(&s) },
        Binding(.taskActions, [.char("o")], "open the saved picture", hint: "open",
                hintWhen: { $0.selected.map { !PreviewPlanner.saved($0).isEmpty } ?? false }) { s, _ in TaskActions.open(&s) },
        Binding(.taskActions, [.char("c")], "compare: the task's run side by side (a submit with several values, or a batch)",
                hint: "compare", hintWhen: { $0.selected?.runID != nil }) { s, _ in CompareKeys.open(&s) },
        Binding(.taskActions, [.char("y")], "copy the result URL (OSC 52)", hint: "copy URL",
                hintWhen: { !($0.selected?.resultURLs.isEmpty ?? true) }) { s, _ in TaskActions.copyURL(&s) },
        Binding(.taskActions, [.char("f")], "star the task; on a starred one (or one with a starred picture), take every star off", hint: "star") { s, _ in
            Curating.starTask(&s)
        },
        Binding(.taskActions, [.char("T")], "edit the task's tags (commas between; Tab completes)", hint: "tags") { s, _ in Curating.editTags(&s) },
        Binding(.taskActions, [.char("x")], "hide the task (kept, left out of lists; in the “hidden” filter, show it again)",
                hint: "hide") { s, _ in Curating.hide(&s) },
        Binding(.taskActions, [.char("C")], "copy the request as a curl command", hint: "copy curl") { s, _ in TaskActions.copyCurl(&s) },
        Binding(.taskActions, [.char("w")], "stop watching a running task, or watch it again", hint: "watch",
                hintWhen: { $0.selected.map { $0.taskID != nil && $0.state.isWatchable } ?? false }) { s, _ in TaskActions.toggleWatch(&s) },

        // The detail.
        Binding(.detail, [.escape], "back to the list", hint: "back") { s, _ in s.focus = .tasks; return [] },
        Binding(.detail, [.up, .down, .char("k"), .char("j")], "the previous, next task", hintKeys: "↑↓") { s, k in TaskList.select(&s, k) },

        // The gallery.
        Binding(.gallery, [.left, .right, .up, .down, .char("h"), .char("l"), .char("k"), .char("j"), .pageUp, .pageDown, .home, .end],
                "move between pictures (PgUp PgDn by screen, Home End to the ends)", hint: "move", hintKeys: "←→↑↓") { s, k in
            GalleryKeys.move(&s, k)
        },
        Binding(.gallery, [.enter], "the task's detail", hint: "detail") { s, _ in GalleryKeys.detail(&s) },
        Binding(.gallery, [.char("v")], "the picture full screen (Esc comes back here)", hint: "view") { s, _ in GalleryKeys.view(&s) },
        Binding(.gallery, [.char("o")], "open the file", hint: "open") { s, _ in GalleryKeys.open(s) },
        Binding(.gallery, [.char("/")], "search prompts, as in the task list", hint: "search") { s, _ in
            s.overlay = .filter(PromptEditor(s.filterText))
            return []
        },
        Binding(.gallery, [.char("s")], "filter, as in the task list (starred: only starred pictures)", hint: "filter") { s, _ in
            TaskList.cycleStatus(&s)
        },
        Binding(.gallery, [.escape, .char("g")], "back to the panes", hint: "back") { s, _ in s.gallery = nil; return [] },
        Binding(.gallery, [.char("i")], "remix this picture", hint: "remix") { s, _ in Remix.start(&s) },
        Binding(.gallery, [.char("+")], "add this picture to the references being composed") { s, _ in Remix.add(&s) },
        Binding(.gallery, [.char("F")], "only this picture's family (what it came from, what was made from it); again: all") { s, _ in GalleryKeys.family(&s) },
        Binding(.gallery, [.char("f")], "star this picture, or take its star off", hint: "star") { s, _ in Curating.starPicture(&s) },
        Binding(.gallery, [.char("T")], "edit the tags of this picture's task", hint: "tags") { s, _ in Curating.editTags(&s) },
        Binding(.gallery, [.char("x")], "hide this picture's task (or show it again in the “hidden” filter)") { s, _ in Curating.hide(&s) },

        // The comparison grid.
        Binding(.compare, [.left, .right, .up, .down, .char("h"), .char("l"), .char("k"), .char("j")], "move between cells",
                hint: "move", hintKeys: "←→↑↓") { s, k in CompareKeys.move(&s, k) },
        Binding(.compare, [.pageUp, .pageDown, .char("["), .char("]")], "the third axis's previous, next value", hint: "page",
                hintKeys: "[ ]", hintWhen: { $0.comparison.map { ComparePlanner.counts($0).pages > 1 } ?? false }) { s, k in CompareKeys.move(&s, k) },
        Binding(.compare, [.char("a")], "arrange: which varying field is rows, columns, pages (each order in turn)", hint: "arrange") { s, _ in
            CompareKeys.arrange(&s)
        },
        Binding(.compare, [.enter], "the task's detail", hint: "detail") { s, _ in CompareKeys.detail(&s) },
        Binding(.compare, [.char("r")], "re-run the whole run, as a new run (asks as a run does)", hint: "re-run run") { s, _ in
            RunSender.rerun(&s)
        },
        Binding(.compare, [.char("v")], "the picture full screen (Esc comes back here)", hint: "view") { s, _ in CompareKeys.view(&s) },
        Binding(.compare, [.escape, .char("c")], "back", hint: "back") { s, _ in s.comparison = nil; return [] },
        Binding(.compare, [.char("i")], "remix the cell's picture", hint: "remix") { s, _ in Remix.start(&s) },
        Binding(.compare, [.char("f")], "star the cell's picture, or take its star off", hint: "star") { s, _ in Curating.starPicture(&s) },
        Binding(.compare, [.char("T")], "edit the tags of the cell's task") { s, _ in Curating.editTags(&s) },
        Binding(.compare, [.char("+")], "add the cell's picture to the references being composed") { s, _ in Remix.add(&s) },

        // Help.
        Binding(.help, [.up, .down, .char("k"), .char("j"), .pageUp, .pageDown, .char(" "), .home, .end, .char("g"), .char("G")],
                "scroll (PgUp PgDn by page, Home End to the ends)", hint: "scroll", hintKeys: "↑↓") { s, k in
            HelpOverlay.scroll(&s, k)
        },
        Binding(.help, [.escape, .char("?"), .f(1), .char("q"), .enter], "close", hint: "close") { s, _ in s.overlay = nil; return [] },

        // A list of values.
        Binding(.sizePicker, [.left, .right], "the tier the sizes are filtered by", hint: "tier", hintKeys: "←→") { s, k in
            Pickers.tier(&s, k)
        },
        Binding(.sizePicker, [.char("o")], "shape: all, landscape, portrait, square", hint: "shape") { s, _ in Pickers.orientation(&s) },
        Binding(.picker, [.up, .down, .char("k"), .char("j"), .home, .end, .pageUp, .pageDown], "choose", hint: "choose", hintKeys: "↑↓") { s, k in
            Pickers.move(&s, k)
        },
        Binding(.picker, [.enter], "take it", hint: "pick") { s, _ in Pickers.pick(&s) },
        Binding(.picker, [.char(" ")], "add it to the values a run tries, or take it out (model, tier, size, aspect, quality, style)",
                hint: "several", hintKeys: "Space", hintWhen: { s in s.overlay?.picker.map { s.composer.takesSeveral($0.field) } ?? false }) { s, _ in
            Pickers.toggle(&s)
        },
        Binding(.picker, [.escape, .char("q")], "close without changing", hint: "cancel") { s, _ in s.overlay = nil; return [] },

        // Ctrl-R's earlier prompts.
        Binding(.promptSearch, [.ctrl("r"), .up], "older", hint: "older", hintKeys: "↑ ^R") { s, _ in PromptHistory.step(&s, by: 1) },
        Binding(.promptSearch, [.down], "newer", hint: "newer") { s, _ in PromptHistory.step(&s, by: -1) },
        Binding(.promptSearch, [.enter], "put it in the prompt", hint: "use it") { s, _ in PromptHistory.use(&s) },
        Binding(.promptSearch, [.escape, .ctrl("g")], "back to the prompt as it was", hint: "cancel") { s, _ in s.overlay = nil; return [] },

        // The task search.
        Binding(.filter, [.enter], "search (every word in the prompt; #tag for a tag, * for starred; all history)", hint: "search") { s, _ in TaskList.applyFilter(&s) },
        Binding(.filter, [.escape], "keep the search as it was", hint: "cancel") { s, _ in s.overlay = nil; return [] },

        // The tag line (T).
        Binding(.tagEditor, [.enter], "save the tags (a tag left out is removed)", hint: "save") { s, _ in Curating.saveTags(&s) },
        Binding(.tagEditor, [.tab], "complete the tag being typed from the history's tags", hint: "complete") { s, _ in Curating.complete(&s) },
        Binding(.tagEditor, [.escape], "leave the tags as they were", hint: "cancel") { s, _ in s.overlay = nil; return [] },

        // Profiles.
        Binding(.profiles, [.up, .down, .char("k"), .char("j")], "choose", hint: "choose", hintKeys: "↑↓") { s, k in Profiles.move(&s, k) },
        Binding(.profiles, [.enter, .char(" ")], "switch to it", hint: "switch") { s, _ in Profiles.choose(&s) },
        Binding(.profiles, [.escape, .char("q"), .char("P")], "stay on this one", hint: "cancel") { s, _ in s.overlay = nil; return [] },

        // The picture full screen.
        Binding(.fullPreview, [.left, .right, .char("h"), .char("l")], "the task's other results", hint: "results", hintKeys: "←→") { s, k in
            FullPreviewKeys.otherResult(&s, k)
        },
        Binding(.fullPreview, [.up, .down, .char("k"), .char("j")], "the previous, next task", hint: "tasks", hintKeys: "↑↓") { s, k in
            FullPreviewKeys.otherTask(&s, k)
        },
        Binding(.fullPreview, [.char("o")], "open the file", hint: "open") { s, _ in FullPreviewKeys.open(s) },
        Binding(.fullPreview, [.char("i")], "remix this picture", hint: "remix") { s, _ in Remix.start(&s) },
        Binding(.fullPreview, [.char("f")], "star this picture, or take its star off", hint: "star") { s, _ in Curating.starPicture(&s) },
        Binding(.fullPreview, [.char("+")], "add this picture to the references being composed") { s, _ in Remix.add(&s) },
        Binding(.fullPreview, [.escape, .char("v"), .char("q"), .enter], "back", hint: "back") { s, _ in s.overlay = nil; return [] },

        // The message log.
        Binding(.messages, [.up, .down, .char("k"), .char("j"), .pageUp, .pageDown, .home, .end, .char("g"), .char("G")],
                "scroll (PgUp PgDn by page, Home End to the ends)", hint: "scroll", hintKeys: "↑↓") { s, k in
            MessageLogOverlay.scroll(&s, k)
        },
        Binding(.messages, [.escape, .char("L"), .char("q"), .enter], "close", hint: "close") { s, _ in s.overlay = nil; return [] },

        // Path completions.
        Binding(.completions, [.down, .up, .tab, .backTab, .char("j"), .char("k"), .pageUp, .pageDown], "choose", hint: "choose",
                hintKeys: "↑↓") { s, k in ReferenceCompletion.move(&s, k) },
        Binding(.completions, [.enter], "complete to it", hint: "take it") { s, _ in ReferenceCompletion.pick(&s) },
        Binding(.completions, [.escape], "leave the path as typed", hint: "cancel") { s, _ in s.overlay = nil; return [] },

        // A question.
        Binding(.confirm, [.char("y"), .char("Y")], "yes", hint: "yes") { s, _ in Confirm.yes(&s) },
        Binding(.confirm, [.char("n"), .char("N"), .escape], "no (so does any other key)", hint: "no") { s, _ in Confirm.no(&s) },
        Binding(.confirm, [.ctrl("c")], "quit (while a submit is in flight: yes)") { s, _ in Confirm.interrupt(&s) },

        // A terminal too small to show anything: only quitting acts (resizing redraws).
        Binding(.tooSmall, [.char("q"), .escape, .ctrl("c")], "quit", hint: "quit") { s, _ in
            s.quitting = true
            return [.quit]
        },
    ]
}
