/// A TOML 1.0 value, as `TOMLParser` reads it. Tables keep their keys in the
/// order the document wrote them.
public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    /// An offset or local date-time, local date or local time, in its canonical
    /// text (see `TOMLDateTime`).
    case datetime(TOMLDateTime)
    case array([TOMLValue])
    case table([(String, TOMLValue)])

    public static func == (a: TOMLValue, b: TOMLValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.float(x), .float(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.bool(x), .bool(y)): return x == y
        case let (.datetime(x), .datetime(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.table(x), .table(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    /// The member `key` of a table.
    public subscript(key: String) -> TOMLValue? {
        guard case let .table(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var string: String? { if case let .string(s) = self { return s }; return nil }
    public var bool: Bool? { if case let .bool(b) = self { return b }; return nil }
    /// An integer or a float, as a Double.
    public var number: Double? {
        switch self {
        case let .integer(i): return Double(i)
        case let .float(d): return d
        default: return nil
        }
    }
    public var members: [(String, TOMLValue)]? { if case let .table(m) = self { return m }; return nil }
}

/// A TOML date and/or time, kept as what it names rather than as a `Date`
/// (a local time has no instant). `canonical` writes it as Python's
/// `isoformat()` does, which is what the differential test compares.
public struct TOMLDateTime: Equatable, Sendable {
    public var year: Int?, month: Int?, day: Int?
    public var hour: Int?, minute: Int?, second: Int?
    /// Fractional seconds, as digits (up to 6 kept: microseconds).
    public var fraction: String?
    /// Minutes east of UTC; nil for local values.
    public var offsetMinutes: Int?

    public var canonical: String {
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        var date = ""
        if let y = year, let m = month, let d = day { date = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))" }
        var time = ""
        if let h = hour, let mi = minute, let s = second {
            time = "\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
            if let f = fraction {
                let micro = String((f + "000000").prefix(6))
                if micro != "000000" { time += "." + micro }
            }
            if let o = offsetMinutes {
                let sign = o < 0 ? "-" : "+"
                time += "\(sign)\(pad(abs(o) / 60, 2)):\(pad(abs(o) % 60, 2))"
            }
        }
        if date.isEmpty { return time }
        return time.isEmpty ? date : date + "T" + time
    }
}
