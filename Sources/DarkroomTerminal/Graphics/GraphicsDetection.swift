import DarkroomPreview

/// Decides how pictures are drawn, from the user's choice, the terminal's
/// answers, and (only where the answers say nothing) the environment. Pure.
public enum GraphicsDetection {
    public struct Decision: Equatable, Sendable {
        public init(graphics: GraphicsProtocol, reason: String, notice: String?) {
            self.graphics = graphics
            self.reason = reason
            self.notice = notice
        }
        public var graphics: GraphicsProtocol
        /// Why, for the detail's preview line: "asked the terminal", "DARKROOM_GRAPHICS", ….
        public var reason: String
        /// Said once in the status bar (how to get pictures), or nil.
        public var notice: String?
    }

    /// - Parameters:
    ///   - choice: `DARKROOM_GRAPHICS`, else the config's `[preview] graphics`, else auto.
    ///   - answers: what the terminal answered (nil: not asked, e.g. forced).
    ///   - environment: TERM, TERM_PROGRAM, KITTY_WINDOW_ID, … of the process.
    ///   - passthrough: inside tmux, whether `allow-passthrough` is on (nil: outside tmux or unknown).
    public static func decide(choice: GraphicsChoice, source: String, answers: TerminalAnswers?,
                              environment: [String: String], passthrough: Bool?) -> Decision {
        let inTmux = environment["TMUX"] != nil
        switch choice {
        case let .forced(p):
            var d = Decision(graphics: p, reason: source, notice: nil)
            if p.drawsOutsideTheGrid, inTmux {
                d.graphics = .cells
                d.notice = "\(source)=\(p.rawValue): tmux does not pass \(p.label); pictures are drawn in cells (kitty graphics pass tmux)."
            } else if p == .kitty, inTmux, passthrough == false {
                // tmux would drop every upload: draw cells, as the notice says.
                d = Decision(graphics: .cells, reason: "\(source)=kitty, but tmux without passthrough", notice: tmuxAdvice)
            }
            return d
        case .auto:
            var found: GraphicsProtocol?
            var reason = "asked the terminal"
            if answers?.kitty == true, drawsNoPlaceholders(environment) {
                // WezTerm and Konsole answer the kitty query but draw no Unicode
                // placeholders: WezTerm takes iTerm2 images, Konsole sixel if it says so.
                found = hinted(environment) == .iterm2 ? .iterm2 : (answers?.deviceAttributes?.contains(4) == true && !inTmux ? .sixel : nil)
                if found == nil { return Decision(graphics: .cells, reason: "kitty graphics without placeholders", notice: nil) }
            } else if answers?.kitty == true {
                found = .kitty
            } else if answers?.deviceAttributes?.contains(4) == true, !inTmux {
                found = .sixel
            }
            // Hints only where the answers say nothing: no answer to the kitty query
            // at all (inside tmux, the device attributes come from tmux itself), and
            // for iTerm2, whose images no query reveals.
            if found == nil, answers?.kitty == nil {
                let hint = hinted(environment)
                if hint == .iterm2 || answers?.deviceAttributes == nil || inTmux {
                    found = hint
                    if found != nil { reason = "from the environment" }
                }
            }
            guard let p = found else { return Decision(graphics: .cells, reason: answers == nil ? "default" : "asked the terminal", notice: nil) }
            if p.drawsOutsideTheGrid, inTmux {
                return Decision(graphics: .cells, reason: "\(p.label) does not pass tmux", notice: nil)
            }
            if p == .kitty, inTmux, passthrough != true {
                return Decision(graphics: .cells, reason: "tmux without passthrough", notice: tmuxAdvice)
            }
            return Decision(graphics: p, reason: reason, notice: nil)
        }
    }

    public static let tmuxAdvice = "tmux keeps pictures from the terminal: run  tmux set -g allow-passthrough on  and restart darkroom (cells meanwhile)."

    /// Terminals that answer the kitty query but do not draw Unicode placeholders: WezTerm and Konsole.
    static func drawsNoPlaceholders(_ env: [String: String]) -> Bool {
        env["WEZTERM_EXECUTABLE"] != nil || env["TERM_PROGRAM"] == "WezTerm" || env["KONSOLE_VERSION"] != nil
    }

    /// What the environment suggests: kitty and Ghostty speak kitty graphics with
    /// placeholders; iTerm2 and WezTerm take iTerm2 images.
    static func hinted(_ env: [String: String]) -> GraphicsProtocol? {
        let term = env["TERM"] ?? "", program = env["TERM_PROGRAM"] ?? ""
        if env["KITTY_WINDOW_ID"] != nil || term == "xterm-kitty" || env["GHOSTTY_RESOURCES_DIR"] != nil
            || program.lowercased() == "ghostty" || term == "xterm-ghostty" {
            return .kitty
        }
        if env["ITERM_SESSION_ID"] != nil || program == "iTerm.app" || env["WEZTERM_EXECUTABLE"] != nil || program == "WezTerm" {
            return .iterm2
        }
        return nil
    }
}
