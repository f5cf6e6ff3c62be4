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

    /// "30 s", "0.3 s", "2 min": a time limit in a sentence.
    public static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        if s >= 120, s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s) / 60) min" }
        if s.rounded() == s { return "\(Int(s)) s" }
        return String(format: "%.1f s", s)
    }
}
