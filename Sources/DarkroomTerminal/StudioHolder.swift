import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomTUI
import Foundation

/// The profiles the TUI can switch between, and how to open a Studio for one
/// (resolving its base URL and key). With one name, switching is not offered.
public struct ProfileSwitcher<C: Clock>: Sendable where C.Duration == Duration {
    public var names: [String]
    public var open: @Sendable (String) async throws -> (studio: Studio<C>, connectionLabel: String)

    public init(names: [String], open: @escaping @Sendable (String) async throws -> (studio: Studio<C>, connectionLabel: String)) {
        self.names = names
        self.open = open
    }
}

/// Holds the Studio of the current profile and feeds its events to the TUI.
/// Switching shuts the old Studio down (its unfinished tasks wait in history and
/// resume when that profile is used again) and starts the new one.
actor StudioHolder<C: Clock> where C.Duration == Duration {
    private(set) var studio: Studio<C>
    private var feed: Task<Void, Never>?
    let inbox: EventInbox
    let store: HistoryStore
    /// Where each profile's gateway facts are kept (nil: not kept, asked each start).
    let gatewayCache: GatewayCache?
    /// The current profile's facts, as last asked.
    var lastFacts = GatewayFacts()

    init(studio: Studio<C>, inbox: EventInbox, store: HistoryStore, gatewayCache: GatewayCache? = nil) {
        self.studio = studio
        self.inbox = inbox
        self.store = store
        self.gatewayCache = gatewayCache
    }

    /// Starts the current Studio: recovers and resumes its tasks, then forwards
    /// its events. The first time, it also loads the profile's first page of
    /// history, earlier prompts and typical durations (after a switch the TUI
    /// asks for its page itself, with its filters).
    func attach(first: Bool) {
        feed?.cancel()
        lastFacts = GatewayFacts()
        // What the gateway said before, at once; then asked again, in the background.
        Task { await self.askGateway(GatewayProbe.allRoutes, cache: gatewayCache, postCached: true) }
        feed = Task { [inbox, studio, store] in
            do {
                let (unknown, _, paused) = try await studio.start()
                if !unknown.isEmpty {
                    inbox.post(.notice("\(unknown.count) submission(s) may or may not have created a task (darkroom stopped before the answer); see the list, r re-runs", isError: true))
                }
                if !paused.isEmpty {
                    inbox.post(.notice("\(paused.count) request(s) of runs were not sent and wait, paused: on one, p sends its run's, X cancels them", isError: true))
                }
                if first {
                    inbox.post(.tasksLoaded(await TUIRunner<C>.page(store, AppState.listQuery(profile: studio.profile)), replace: true))
                    inbox.post(.promptsLoaded((try? await store.recentPrompts(limit: 500)) ?? []))
                    inbox.post(.tagsLoaded(await TUIRunner<C>.tagNames(store)))
                    inbox.post(.typicalDurations((try? await store.typicalDurations()) ?? [:]))
                }
            } catch {
                inbox.post(.notice("The history cannot be read: \(HistoryStore.describe(error))", isError: true))
            }
            for await e in studio.events {
                if Task.isCancelled { break }
                switch e {
                case let .changed(r): inbox.post(.taskChanged(r))
                case let .authFailed(m): inbox.post(.authFailed(m))
                case let .stale(id, m, silent):
                    inbox.post(.pollTrouble(taskID: id, message: m, silent: silent))
                case let .recovered(id): inbox.post(.pollRecovered(taskID: id))
                case let .note(id, m): inbox.post(.notice("\(TerminalSanitizer.clean(id)): \(m)", isError: false))
                case let .historyFailed(m):
                    inbox.post(.notice("The history could not be written (\(m)): what happens now is not recorded. Free some space; the next start takes up where this stopped",
                                       isError: true))
                case .resumed: break
                }
            }
        }
    }

    /// Opens `name` with `switcher`; on success the old Studio stops and the new one starts.
    func switchTo(_ name: String, with switcher: ProfileSwitcher<C>) async {
        let opened: (studio: Studio<C>, connectionLabel: String)
        do { opened = try await switcher.open(name) } catch {
            inbox.post(.notice("Cannot switch to \(name): \(HistoryStore.describe(error))", isError: true))
            return
        }
        feed?.cancel()
        await studio.shutdown()
        studio = opened.studio
        inbox.post(.profileSwitched(name: name, connectionLabel: opened.connectionLabel))
        attach(first: false)
    }

    func shutdown() async {
        feed?.cancel()
        await studio.shutdown()
    }
}
