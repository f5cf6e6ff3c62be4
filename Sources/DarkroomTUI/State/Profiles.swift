/// Switching profiles from inside the TUI (P): a list of the config's
/// profiles; choosing one asks the shell to start its Studio. Each profile's
/// tasks are kept apart: the list shows the current profile's only.
enum Profiles {
    static func open(_ s: inout AppState) -> [Effect] {
        guard s.profiles.count > 1 else {
            s.message = "One profile only: add [profiles.NAME] sections to the config file to switch between endpoints"
            s.messageIsError = false
            return []
        }
        s.profilePicker = s.profiles.firstIndex(of: s.profile ?? "") ?? 0
        return []
    }

    static func pickerKey(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard let i = s.profilePicker else { return [] }
        switch k {
        case .up, .char("k"): s.profilePicker = max(0, i - 1)
        case .down, .char("j"): s.profilePicker = min(s.profiles.count - 1, i + 1)
        case .escape, .char("q"), .char("P"): s.profilePicker = nil
        case .enter, .char(" "):
            s.profilePicker = nil
            let name = s.profiles[i]
            guard name != s.profile else { return [] }
            s.message = "Switching to \(name)…"
            s.messageIsError = false
            return [.switchProfile(name)]
        default: break
        }
        return []
    }

    /// The shell switched: new endpoint, this profile's tasks, filters kept.
    static func switched(_ s: inout AppState, _ name: String, _ endpoint: String) -> [Effect] {
        s.profile = name
        s.endpoint = endpoint
        s.tasks = []
        s.selectedID = nil
        s.scrollTop = 0
        s.hasMore = true
        s.pollingPaused = false
        s.message = "Now on profile \(name); its unfinished tasks are watched again"
        s.messageIsError = false
        return [.loadTasks(s.query())]
    }
}
