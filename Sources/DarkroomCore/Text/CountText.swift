/// Whole numbers for people: "12,345". The same in every locale (darkroom's
/// text is English; a test must not depend on the machine's locale).
public enum CountText {
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Billable units as people read them: "4", "1.5".
    public static func units(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
}
