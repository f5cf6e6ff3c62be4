import DarkroomPreview

/// How the TUI draws pictures, as the user set it: `DARKROOM_GRAPHICS` first,
/// then the config's `[preview] graphics`, else `auto` (ask the terminal).
enum GraphicsSetting {
    /// The choice and where it came from (said on the detail's preview line).
    static func resolve(environment env: [String: String], file: String?) throws(CLIFailure) -> (GraphicsChoice, String) {
        if let raw = env["DARKROOM_GRAPHICS"], !raw.isEmpty {
            guard let c = GraphicsChoice(raw) else {
                throw CLIFailure(.invalidInput, "DARKROOM_GRAPHICS=\(raw) is not one of \(GraphicsChoice.accepted); nothing was started")
            }
            return (c, "DARKROOM_GRAPHICS")
        }
        if let raw = file, let c = GraphicsChoice(raw) { return (c, "[preview] graphics") }
        return (.auto, "auto")
    }
}
