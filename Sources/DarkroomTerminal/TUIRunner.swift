import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomPreview
import DarkroomTUI
import Foundation

/// The event loop: one thread owns the terminal. It sleeps in `poll` until a
/// key arrives or another thread posts an event, runs `update`, redraws only
/// when the state changed, and hands effects to the Studio.
public final class TUIRunner<C: Clock>: @unchecked Sendable where C.Duration == Duration {
    // Everything below is touched only on the terminal thread, except `inbox`
    // (thread-safe) and the Studio (an actor).
    private let holder: StudioHolder<C>
    private let firstProfile: String
    private let switcher: ProfileSwitcher<C>?
    private let store: HistoryStore
    private let connectionLabel: String
    private let notifications: NotificationSettings
    private let prices: PriceTable?
    private let budget: Budget
    private let styles: [PromptStyle]
    private let wildcardsFolder: URL?
    private let cacheDirectory: URL?
    private let credentials: (@Sendable (String) async throws -> APIKey)?
    private let graphicsChoice: GraphicsChoice
    private let thumbnailCache: URL?
    private let graphicsSource: String
    /// Inside tmux, uploads go through its passthrough.
    private let inTmux = ProcessInfo.processInfo.environment["TMUX"] != nil
    /// Kitty images the terminal holds, deleted on exit.
    private var uploaded: Set<Int> = []
    /// The last `p`/`X` action on a run, which the next one waits for.
    private var unsentChain: Task<Void, Never>?
    private let inbox: EventInbox
    private let backend = CursesBackend()
    private var decoder = KeyDecoder()
    /// Decodes previews on its own thread; answers arrive through the inbox.
    private lazy var previews = PreviewWorker(thumbnails: thumbnailCache.map { ThumbnailCache(directory: $0) }) { [inbox] key, outcome in
        switch outcome {
        case let .ready(image): inbox.post(.previewReady(key, image))
        case let .failed(f): inbox.post(.previewFailed(key, f.message))
        case .dropped: inbox.post(.previewDropped(key))
        }
    }

    /// - Parameters:
    ///   - notifications: bell and desktop notification when a task ends (default: neither).
    ///   - prices: the user's price table for cost estimates (default none: the server's
    ///     prices when it gives them, else billable units).
    ///   - budget: `max_run_cost` (a run over it is asked about) and `balance_warning`.
    ///   - cacheDirectory: darkroom's cache folder: the gateway's answers are kept
    ///     there per profile (a start shows the last known models, balance and prices
    ///     at once), and remixed pictures re-encoded to fit the upload limit (nil: neither).
    ///   - profiles: the profiles to switch between from inside the TUI (P), if more than one.
    ///   - credentials: reads a profile's key afresh (environment, config file,
    ///     `api_key_command` run without the terminal) when F5 resumes polling after a
    ///     refused key; nil keeps the key the Studio has.
    ///   - graphics: how pictures reach the terminal (default: ask the terminal at start).
    ///   - graphicsSource: where that choice came from, for the preview line.
    ///   - styles: the config's styles (`[styles.NAME]`): the composer's Style field.
    ///   - wildcardsFolder: where `{@name}` files are read (at start and on F5); nil: none.
    ///   - thumbnails: where small copies of pictures are kept for the gallery and the
    ///     list (`$XDG_CACHE_HOME/darkroom/thumbnails`); nil decodes originals every time.
    public init(studio: Studio<C>, store: HistoryStore, connectionLabel: String, notifications: NotificationSettings = NotificationSettings(),
                prices: PriceTable? = nil, budget: Budget = Budget(), profiles: ProfileSwitcher<C>? = nil,
                credentials: (@Sendable (String) async throws -> APIKey)? = nil,
                graphics: GraphicsChoice = .auto, graphicsSource: String = "auto", thumbnails: URL? = nil,
                cacheDirectory: URL? = nil, styles: [PromptStyle] = [], wildcardsFolder: URL? = nil) {
        thumbnailCache = thumbnails
        self.credentials = credentials
        graphicsChoice = graphics
        self.graphicsSource = graphicsSource
        let inbox = EventInbox()
        self.inbox = inbox
        holder = StudioHolder(studio: studio, inbox: inbox, store: store, gatewayCache: cacheDirectory.map { GatewayCache(cacheDirectory: $0) })
        firstProfile = studio.profile
        switcher = profiles
        self.store = store
        self.connectionLabel = connectionLabel
        self.notifications = notifications
        self.prices = prices
        self.budget = budget
        self.styles = styles.sorted { $0.name < $1.name }
        self.wildcardsFolder = wildcardsFolder
        self.cacheDirectory = cacheDirectory
    }

    /// Reads the wildcard files off the terminal thread; answered by `.wildcardsLoaded`.
    private func readWildcards() {
        guard let folder = wildcardsFolder else { return }
        Task.detached { [inbox] in inbox.post(.wildcardsLoaded(WildcardSet.load(folder: folder))) }
    }

    /// Runs the TUI until the user quits; returns the process exit status.
    public func run() async -> Int32 {
        await holder.attach(first: true)
        let status: Int32 = await withCheckedContinuation { c in
            // Widths as ncurses and the terminal count them (the C library's wcwidth,
            // under the locale the backend sets): the grid never disagrees with them.
            let thread = Thread { [self] in
                c.resume(returning: DisplayWidth.$rule.withValue(CursesBackend.widthRule) { self.loop() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        await holder.shutdown()
        return status
    }

    /// A notice for the status bar and the message log (the config file's warnings
    /// at start, say). Safe from any thread.
    public func notice(_ text: String, isError: Bool = true) {
        inbox.post(.notice(text, isError: isError))
    }

    /// Opens the composer with `request` at start (`darkroom recall --edit`). Safe from any thread.
    public func compose(_ request: ImageRequest) {
        inbox.post(.compose(request))
    }

    /// Tells the TUI that a task changed outside the Studio (the demo's pictures).
    /// Safe from any thread.
    public func taskUpdated(_ record: TaskRecord) {
        inbox.post(.taskChanged(record))
    }

    static func page(_ store: HistoryStore, _ q: HistoryQuery) async -> [TaskRecord] {
        (try? await store.searchWithDetails(q)) ?? []
    }

    /// The history's tags, most used first (for `T`'s completion); none when it cannot be read.
    static func tagNames(_ store: HistoryStore) async -> [String] {
        ((try? await store.tagCounts()) ?? []).map(\.tag.name)
    }

    private func loop() -> Int32 {
        backend.start()
        TerminalGuard.install(wakeFD: inbox.writeFD)
        defer {
            // Pictures the terminal holds go with darkroom.
            if !uploaded.isEmpty { TerminalGuard.write(uploaded.sorted().map { KittyGraphics.delete(id: $0, tmux: inTmux) }.joined()) }
            backend.stop()
            previews.stop()
        }
        // Before the first frame: what can the terminal show? (At most 100 ms.)
        let (decision, cell, typed) = TerminalProbe.decide(choice: graphicsChoice, source: graphicsSource, tmux: inTmux)
        let size = backend.size
        var state = AppState(width: size.width, height: size.height, connectionLabel: connectionLabel)
        state.colorDepth = backend.colorDepth
        state.graphics = decision.graphics
        state.graphicsReason = decision.reason
        state.cellPixels = cell
        decoder.mouseEnabled = backend.mouse
        state.notifications = notifications
        state.priceTable = prices
        state.budget = budget
        state.composer.styles = styles
        readWildcards()
        state.profile = firstProfile
        state.profiles = switcher?.names ?? []
        state.timeZone = TimeZone.current
        state.composer.home = NSHomeDirectory()
        state.clock = Date()
        if let notice = decision.notice { _ = update(&state, .notice(notice, isError: false)) }
        var dirty = true
        // The decoder's deadlines (a lone Esc, a paste that stopped) count on this clock.
        let clock = ContinuousClock()
        let origin = clock.now
        func now() -> Duration { clock.now - origin }
        // Ages on the list move while tasks run: then a tick once a second.
        var nextTick = now() + .seconds(1)
        // Keys typed while the terminal was asked.
        var early = typed.isEmpty ? [] : decoder.feed(typed, now: now())
        while !state.quitting {
            if dirty {
                let (screen, cursor) = AppView.render(state, now: Date())
                backend.draw(screen, cursor: cursor)
                dirty = false
            }
            let running = state.tasks.contains { $0.isWatched || $0.state == .intent }
            var wake: Duration? = running ? nextTick : nil
            if let d = decoder.deadline { wake = min(wake ?? d, d) }
            // Keys typed while the terminal was asked are handled at once.
            let timeout = !early.isEmpty ? 0 : wake.map { Int32(clamping: max(0, Self.milliseconds($0 - now()))) } ?? -1
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: inbox.readFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, timeout)
            if TerminalGuard.terminateRequested != 0 { break }
            if TerminalGuard.takeContinued() {
                // Stopped and continued from outside (kill -STOP / -CONT): the shell
                // may have reset the terminal in between.
                backend.stop()
                backend.resume()
                dirty = true
            }
            var events: [Event] = early
            early = []
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                // The terminal is gone (end of input, or an error): leave as on SIGHUP.
                guard let read = backend.readInput(into: &decoder, now: now()) else { break }
                events += read
            }
            events += decoder.expire(now: now())
            if TerminalGuard.resizeRequested != 0 {
                TerminalGuard.resizeRequested = 0
                backend.resizeToTerminal()
                let s = backend.size
                events.append(.resize(width: s.width, height: s.height))
                dirty = true
            }
            events += inbox.drain()
            if running, now() >= nextTick {
                nextTick = now() + .seconds(1)
                events.append(.tick)
                dirty = true
            }
            // The time, for the message log and repeated submits (not a reason to redraw).
            if !events.isEmpty { _ = update(&state, .clock(Date())) }
            for e in events {
                let before = state
                let effects = update(&state, e)
                if state != before { dirty = true }
                for effect in effects { run(effect, &state, &dirty) }
            }
        }
        return 0
    }

    /// A file over the upload limit re-encoded into the cache (`PictureShrinker`); nil when it fits or cannot be.
    static func shrink(_ path: String, cache: URL) -> (path: String, how: String, sha256: String)? {
        var st = stat()
        guard stat(path, &st) == 0, Int(st.st_size) > RequestValidator.maxReferenceBytes, Int(st.st_size) <= 256 << 20,
              let data = FileManager.default.contents(atPath: path),
              case let .success(s) = PictureShrinker.fit(Array(data)),
              let kept = try? PictureShrinker.keep(s, name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, cacheDirectory: cache)
        else { return nil }
        return (kept.path, s.how, SHA256.hex(s.bytes))
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000
    }

    /// Ctrl-Z: give the terminal back, stop, and take it again on `fg`.
    private func suspend() {
        backend.stop()
        TerminalGuard.stopAndWaitForContinue()
        backend.resume()
    }

    private func run(_ effect: Effect, _ state: inout AppState, _ dirty: inout Bool) {
        switch effect {
        case .quit:
            state.quitting = true
        case .suspend:
            suspend()
            dirty = true
        case let .inspectReferences(paths, remixed):
            // Opening files (a slow disk, a network mount) never holds the terminal thread.
            let cache = cacheDirectory
            Task.detached { [inbox] in
                var found: [String: ReferenceCheck] = [:]
                for p in paths {
                    // A remixed picture over the upload limit is re-encoded, not refused.
                    if remixed.contains(p), let cache, let shrunk = Self.shrink(p, cache: cache) {
                        inbox.post(.referenceShrunk(old: p, new: shrunk.path, how: shrunk.how, sha256: shrunk.sha256))
                        continue
                    }
                    found[p] = RequestValidator.inspectFile(p)
                }
                inbox.post(.referencesInspected(found))
            }
        case let .listDirectory(q):
            Task.detached { [inbox] in inbox.post(.directoryListed(q, DirectoryListing.entries(in: q.directory, prefix: q.prefix))) }
        case let .submit(request):
            Task { [inbox, holder] in
                do { inbox.post(.submitted(try await holder.studio.submit(request))) } catch let error as StudioError {
                    var text = error.description
                    if case let .submitFailed(record, _) = error, let r = record, r.state == .submitUnknown {
                        text = "#\(r.localID): submission unknown: \(text) Look it up on the vendor's dashboard before sending it again; r re-runs it on purpose."
                    }
                    if case let .submitFailed(record, _) = error, let r = record {
                        inbox.post(.submitFailed(text, task: r.localID))
                    } else {
                        inbox.post(.submitFailed(text))
                    }
                } catch {
                    inbox.post(.submitFailed(HistoryStore.describe(error)))
                }
            }
        case let .sendRun(plan):
            Task { [holder] in await holder.sendRun(plan) }
        case let .unsent(run, action):
            // In the order asked: a release or cancel never overtakes the hold before it.
            let before = unsentChain
            unsentChain = Task { [holder] in
                await before?.value
                await holder.unsent(run: run, action)
            }
        case let .loadRun(run):
            var q = HistoryQuery(limit: 1000)
            q.run = run
            Task { [inbox, store] in inbox.post(.runLoaded(run, await Self.page(store, q))) }
        case let .loadTasks(q):
            let replace = q.before == nil
            Task { [inbox, store] in inbox.post(.tasksLoaded(await Self.page(store, q), replace: replace, query: q)) }
        case let .download(id):
            Task { [inbox, holder] in
                do {
                    let report = try await holder.studio.downloadNow(localID: id, force: true)
                    inbox.post(.notice(report.summary, isError: !report.failed.isEmpty, task: id))
                } catch {
                    inbox.post(.notice("The download of #\(id) could not update the history: \(HistoryStore.describe(error))", isError: true, task: id))
                }
            }
        case let .curate(id, change):
            // The new tags are in the state's list already (`Curating.saveTags`); T asks for all again.
            Task { [inbox, holder, store] in
                do {
                    if try await holder.studio.curate(localID: id, change) == nil {
                        inbox.post(.notice("#\(id) is no longer in the history", isError: true, task: id))
                    }
                } catch {
                    inbox.post(.notice("#\(id) could not be changed in the history: \(HistoryStore.describe(error))", isError: true, task: id))
                    // The screen showed the change already: put back what is stored.
                    if let r = try? await store.record(localID: id) { inbox.post(.taskChanged(r)) }
                }
            }
        case let .setWatching(id, watched):
            Task { [inbox, holder] in
                do { _ = try await holder.studio.setWatching(localID: id, watched) } catch {
                    inbox.post(.notice("#\(id) could not be \(watched ? "watched" : "unwatched"): \(HistoryStore.describe(error))", isError: true, task: id))
                }
            }
        case .readWildcards:
            readWildcards()
        case .loadTags:
            Task { [inbox, store] in inbox.post(.tagsLoaded(await Self.tagNames(store))) }
        case .resumePolling:
            let profile = state.profile ?? firstProfile
            Task { [inbox, holder, credentials] in
                var key: APIKey?
                if let credentials {
                    do { key = try await credentials(profile) } catch {
                        inbox.post(.authFailed("The key could not be read again: \(HistoryStore.describe(error))."))
                        return
                    }
                }
                await holder.studio.resumePolling(apiKey: key)
            }
        case let .askGateway(routes):
            Task { [holder] in await holder.askGateway(routes, cache: holder.gatewayCache) }
        case let .switchProfile(name):
            guard let switcher else { break }
            Task { [holder] in await holder.switchTo(name, with: switcher) }
        case let .notify(title, body, bell, desktop):
            TerminalGuard.write(NotificationSequence.make(title: title, body: body, bell: bell, desktop: desktop,
                                                          inTmux: ProcessInfo.processInfo.environment["TMUX"] != nil))
        case let .searchPrompts(q):
            Task { [inbox, store] in inbox.post(.promptsFound(query: q, (try? await store.recentPrompts(matching: q, limit: HistoryQuery.pageSize)) ?? [])) }
        case let .renderPreview(key):
            previews.request(key)
        case let .uploadPicture(id, png, columns, rows):
            // Written before the frame that shows its placeholder cells.
            TerminalGuard.write(KittyGraphics.upload(png: png, id: id, columns: columns, rows: rows, tmux: inTmux))
            uploaded.insert(id)
        case let .deletePictures(ids):
            TerminalGuard.write(ids.map { KittyGraphics.delete(id: $0, tmux: inTmux) }.joined())
            uploaded.subtract(ids)
        case let .copy(text):
            // OSC 52 asks the terminal to put the text on the clipboard.
            let b64 = Data(text.utf8).base64EncodedString()
            TerminalGuard.write("\u{1B}]52;c;\(b64)\u{07}")
        case let .open(path):
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["xdg-open", path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            if (try? p.run()) == nil || !FileManager.default.isExecutableFile(atPath: "/usr/bin/xdg-open") {
                _ = update(&state, .notice("xdg-open is not available; the file is at \(path)", isError: true))
            } else {
                _ = update(&state, .notice("Opened \(path)", isError: false))
            }
            dirty = true
        }
    }
}

