/// Switching profiles from inside the TUI (P): a list of the config's
/// profiles; choosing one asks the shell to start its Studio. Each profile's
/// tasks are kept apart: the list shows the current profile's only.
enum Profiles {
    static func open(_ s: inout AppState) -> [Effect] {
        guard s.profiles.count > 1 else {
            s.say("One profile only: add [profiles.NAME] sections to the config file to switch between endpoints")
            return []
        }
        s.overlay = .profiles(index: s.profiles.firstIndex(of: s.profile ?? "") ?? 0)
        return []
    }

    static func move(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard let i = s.overlay?.profileIndex else { return [] }
        let up = k == .up || k == .char("k")
        s.overlay = .profiles(index: up ? max(0, i - 1) : min(s.profiles.count - 1, i + 1))
        return []
    }

    static func choose(_ s: inout AppState) -> [Effect] {
        guard let i = s.overlay?.profileIndex else { return [] }
        s.overlay = nil
        let name = s.profiles[i]
        guard name != s.profile else { return [] }
        s.say("Switching to \(name)…")
        return [.switchProfile(name)]
    }

    /// The shell switched: new connection label, this profile's tasks, filters kept.
    static func switched(_ s: inout AppState, _ name: String, _ connectionLabel: String) -> [Effect] {
        s.profile = name
        s.connectionLabel = connectionLabel
        s.tasks = []
        s.selectedID = nil
        s.scrollTop = 0
        s.hasMore = true
        s.pollingPaused = false
        s.say("Now on profile \(name); its unfinished tasks are watched again")
        return [.loadTasks(s.query())]
    }
}
