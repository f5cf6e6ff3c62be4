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

    /// "2026-11-30T11:44:10Z": ISO 8601 in UTC, whole seconds, as darkroom writes
    /// times into JSON. The same whatever the locale and time zone.
    public static func iso8601(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// "14:03:22": a time of day in a given time zone (so tests pass in any zone).
    public static func clock(_ date: Date, in zone: TimeZone) -> String {
        var t = time_t((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))).rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
