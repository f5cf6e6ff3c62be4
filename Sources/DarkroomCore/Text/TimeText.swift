import Foundation

/// Short human durations for tables and status lines.
public enum TimeText {
    /// "12s", "4m", "3h", "2d": the largest whole unit.
    public static func age(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }
}
