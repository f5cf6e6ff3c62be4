/// Where each pane goes for a terminal size. Wide terminals (≥ 120 columns)
/// show all three: the composer on the left, tasks above the detail on the
/// right. Narrower ones show the focused pane under a tab bar. The last two
/// rows are the status bar and the key hints.
public enum Layout {
    public static let statusRows = 2

    public static func panes(_ s: AppState) -> [(Pane, Rect)] {
        let body = Rect(x: 0, y: 0, width: s.width, height: s.height - statusRows)
        if s.isWide {
            let left = max(46, s.width * 40 / 100)
            let right = s.width - left
            let tasksHeight = max(6, body.height * 55 / 100)
            return [
                (.compose, Rect(x: 0, y: 0, width: left, height: body.height)),
                (.tasks, Rect(x: left, y: 0, width: right, height: tasksHeight)),
                (.detail, Rect(x: left, y: tasksHeight, width: right, height: body.height - tasksHeight)),
            ]
        }
        return [(s.focus, Rect(x: 0, y: 1, width: s.width, height: body.height - 1))]
    }

    public static func rect(_ s: AppState, _ pane: Pane) -> Rect? {
        panes(s).first { $0.0 == pane }?.1
    }

    /// Rows of tasks the list shows (its pane less borders and the header).
    public static func listRows(_ s: AppState) -> Int {
        let r = rect(s, .tasks) ?? Rect(x: 0, y: 1, width: s.width, height: s.height - statusRows - 1)
        return max(1, r.height - 3)
    }
}
