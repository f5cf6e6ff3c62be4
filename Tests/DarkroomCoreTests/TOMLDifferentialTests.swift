import Foundation
import Testing
@testable import DarkroomCore

/// darkroom's TOML reader against Python's `tomllib` (the standard library's,
/// on every machine here): both read the same documents and must agree, on the
/// values or on refusing the document.
@Suite("TOML reader, held to tomllib")
struct TOMLDifferentialTests {
    /// What tomllib makes of each document: its value as JSON with types (as
    /// toml-test writes them), or `{"error": ...}`.
    static func tomllib(_ docs: [String]) throws -> [JSONValue] {
        let script = """
        import json, math, sys, tomllib, datetime
        def tag(v):
            if isinstance(v, bool): return {"type": "bool", "value": "true" if v else "false"}
            if isinstance(v, int): return {"type": "integer", "value": str(v)}
            if isinstance(v, float):
                if math.isnan(v): return {"type": "float", "value": "nan"}
                if math.isinf(v): return {"type": "float", "value": "inf" if v > 0 else "-inf"}
                return {"type": "float", "value": repr(v)}
            if isinstance(v, str): return {"type": "string", "value": v}
            if isinstance(v, (datetime.datetime, datetime.date, datetime.time)): return {"type": "datetime", "value": v.isoformat()}
            if isinstance(v, list): return [tag(x) for x in v]
            if isinstance(v, dict): return {k: tag(x) for k, x in v.items()}
            raise TypeError(type(v))
        out = []
        for doc in json.load(sys.stdin):
            try: out.append(tag(tomllib.loads(doc)))
            except tomllib.TOMLDecodeError as e: out.append({"error": str(e)})
        json.dump(out, sys.stdout)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(JSONValue.array(docs.map { .string($0) }).serialized().utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONParser.parse(Array(data)).arrayValue ?? []
    }

    /// darkroom's reading in the same shape.
    static func darkroom(_ doc: String) -> JSONValue {
        func tag(_ v: TOMLValue) -> JSONValue {
            func t(_ type: String, _ value: String) -> JSONValue { .object([("type", .string(type)), ("value", .string(value))]) }
            switch v {
            case let .bool(b): return t("bool", b ? "true" : "false")
            case let .integer(i): return t("integer", String(i))
            case let .float(d):
                if d.isNaN { return t("float", "nan") }
                if d.isInfinite { return t("float", d > 0 ? "inf" : "-inf") }
                return t("float", String(d))
            case let .string(s): return t("string", s)
            case let .datetime(dt): return t("datetime", dt.canonical)
            case let .array(a): return .array(a.map(tag))
            case let .table(m): return .object(m.map { ($0.0, tag($0.1)) })
            }
        }
        do { return tag(try TOMLParser.parse(doc)) } catch { return .object([("error", .string(error.description))]) }
    }

    /// Compares, treating two errors as agreement and floats by value (Python's
    /// repr and Swift's description differ in form, not in value).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object, .object) where a["error"] != nil || b["error"] != nil:
            return a["error"] != nil && b["error"] != nil
        case let (.object(x), .object(y)):
            if x.count == 2, a["type"]?.stringValue == "float", b["type"]?.stringValue == "float",
               let u = a["value"]?.stringValue, let v = b["value"]?.stringValue {
                return u == v || Double(u) == Double(v)
            }
            let yd = Dictionary(y, uniquingKeysWith: { p, _ in p })
            return x.count == y.count && x.allSatisfy { k, v in yd[k].map { same(v, $0) } ?? false }
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default: return a == b
        }
    }

    static func check(_ docs: [String]) throws {
        let reference = try tomllib(docs)
        #expect(reference.count == docs.count)
        for (doc, ref) in zip(docs, reference) {
            let mine = darkroom(doc)
            #expect(same(mine, ref), "\(doc.debugDescription)\n darkroom: \(mine.serialized())\n tomllib:  \(ref.serialized())")
        }
    }

    /// Every config the README shows.
    static let readmeConfigs = [
        """
        default_profile = "work"

        [profiles.work]
        base_url = "https://api.example.com"
        api_key_command = "pass show darkroom/work"   # or: api_key = "sk-..."
        default_model = "gpt-image-2"

        [profiles.local]
        base_url = "http://127.0.0.1:41237"
        api_key = "sk-simulator-0000000000000000"
        """,
        """
        [notifications]        # when a task ends; both off by default
        bell = true
        desktop = true         # OSC 777 and OSC 9 desktop notifications

        [prices]               # your prices; darkroom never invents any
        currency = "$"
        NanoBanana = 0.02      # per image, by model name
        "NanoBanana2-0.5K" = 0.03

        [prices.gpt-image-2]   # per image: SIZE/QUALITY, SIZE, */QUALITY or *
        "1024x1024/high" = 0.17
        "1024x1024" = 0.04
        "*" = 0.05
        """,
        // "Styles and wildcards".
        #"""
        [styles.film]
        prompt = "{prompt}, 35mm film, soft grain"

        [styles.noir]
        prompt = """
        film noir still of {prompt},
        hard shadows, black and white"""
        """#,
    ]

    @Test("agrees on every config the README shows, also with Windows line endings")
    func readme() throws {
        try Self.check(Self.readmeConfigs + Self.readmeConfigs.map { $0.replacingOccurrences(of: "\n", with: "\r\n") })
    }

    @Test("agrees on escapes, strings of every kind, comments and unicode keys")
    func strings() throws {
        try Self.check([
            #"a = "tab\tquote\"back\\bs\bff\fnl\ncr\r""#,
            #"a = "\u00e9\U0001F600""#, #"a = "\uD800""#, #"a = "\x41""#, #"a = "\ ""#,
            "a = 'C:\\path\\no escapes'", "a = '''\nfirst\n  second'''", "a = \"\"\"\nline \\\n   joined\"\"\"",
            "a = \"\"\"two quotes \"\" inside\"\"\"", "a = \"\"\"ends with quotes\"\"\"\"\"", "a = '''x''''", "a = '''x'''''''",
            "a = \"x\" # comment after a value", "a = \"x\"# no space", "a = 'unterminated", "a = \"tab\there\"", "a = \"bell\u{07}\"",
            "\"ключ\" = 1", "'literal key' = 2", "\"\" = 3", "ключ = 1", "a.\"b.c\".d = 1", "a . b = 2",
            "# only a comment", "a = 1 # comment with \u{07} bell", "\u{FEFF}a = 1", "a = \"\"\"x\r\ny\"\"\"",
        ])
    }

    @Test("agrees on numbers: decimal, hex, octal, binary, underscores, floats, inf and nan")
    func numbers() throws {
        try Self.check([
            "a = 0x10", "a = 0o17", "a = 0b101", "a = 0xDEAD_beef", "a = 1_000", "a = +5", "a = -0", "a = 3.14", "a = 1e3", "a = 1E-3",
            "a = 6.626e-34", "a = -2.5e+10", "a = 1_0.5_0", "a = inf", "a = +inf", "a = -inf", "a = nan", "a = -nan", "a = Infinity",
            "a = 0x", "a = 1__0", "a = 01", "a = 1.", "a = .5", "a = 1e", "a = _1", "a = 1_", "a = +0x10", "a = 0X10", "a = 1e3_0",
            "a = 9223372036854775807", "a = -9223372036854775808", "a = 0.0", "a = -0.0", "a = 1.0e1_0", "a = true", "a = truex",
            "a = TRUE", "a = 1 2",
        ])
    }

    @Test("agrees on tables: repeated, dotted, nested, arrays of tables, inline tables")
    func tables() throws {
        try Self.check([
            "[a]\nx = 1\n[a]\ny = 2", "[a]\nx = 1\n[b]\n[a.c]\nz = 3", "[a.b]\n[a]\nx = 1", "a.b = 1\n[a]", "[a]\nb.c = 1\n[a.b]",
            "[a]\nb = 1\n[a.b]", "a = {x = 1}\n[a.y]", "a = {x = 1}\na.y = 2", "[[t]]\nx = 1\n[[t]]\nx = 2", "[[t]]\n[t]",
            "t = []\n[[t]]", "[t]\n[[t]]", "[[t]]\nx = 1\n[t.sub]\ny = 2", "a = { b = { c = 1 }, d = [1, 2] }", "a = {x = 1,}",
            "a = {\nx = 1}", "a = {x = 1, x = 2}", "a = [1, 'two', 3.0, [4], {five = 5}]", "a = [\n  1, # one\n  2,\n]", "a = [,]",
            "[ a . b ]\nx = 1", "[a]]", "[a", "[[a]", "a = 1\nb", "a = 1 b = 2", "[a]\n  x = 1  \n\t[b]\ny = 2",
            "a.b.c = 1\na.b.d = 2", "a.b = 1\na.b.c = 2", "[x.y.z.w]\n[x]", "a = []\n", "a = [ [ 1, 2 ], [\"x\"] ]",
            "[\"quoted table\".key]\nv = 1", "\n\n\n[a]\r\nb = 1\r\n", "a = 1\r", "a = \"x\"\rb = 1",
        ])
    }

    @Test("agrees on dates and times, valid and not")
    func dates() throws {
        try Self.check([
            "a = 1979-05-27T07:32:00Z", "a = 1979-05-27T00:32:00-07:00", "a = 1979-05-27T00:32:00.999999-07:00",
            "a = 1979-05-27 07:32:00Z", "a = 1979-05-27T07:32:00", "a = 1979-05-27", "a = 07:32:00", "a = 00:32:00.999999",
            "a = 00:32:00.1234567", "a = 1979-02-29", "a = 2000-02-29", "a = 1979-13-01", "a = 1979-05-32", "a = 1979-05-27T25:00:00",
            "a = 1979-05-27T07:32", "a = 07:32", "a = 1979-05-27t07:32:00z", "a = 0000-01-01", "a = 1979-05-27T07:32:00+24:00",
        ])
    }

    @Test("agrees on documents mutated at random from valid ones (500, seeded)")
    func mutations() throws {
        var rng = SeededRandom(seed: 20261130)
        let seeds = Self.readmeConfigs + ["a = [1, 2]\nb = {c = 'd'}\n[[e]]\nf = 1979-05-27T07:32:00Z\ng = 0x1F\nh = \"\\u00e9\"\n"]
        let alphabet = Array("abc.=[]{}\"'#,\n\r\t \\0123456789xoe+-_:TZ".unicodeScalars)
        var docs: [String] = []
        for _ in 0..<500 {
            var scalars = Array(seeds[Int(rng.next() % UInt64(seeds.count))].unicodeScalars)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(max(1, scalars.count)))
                switch rng.next() % 3 {
                case 0 where !scalars.isEmpty: scalars.remove(at: min(at, scalars.count - 1))
                case 1: scalars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: min(at, scalars.count))
                default: if !scalars.isEmpty { scalars[min(at, scalars.count - 1)] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                }
            }
            docs.append(String(String.UnicodeScalarView(scalars)))
        }
        try Self.check(docs)
    }

    @Test("the config file reads through it: CRLF, a repeated table refused, and inf refused as a price")
    func configFile() throws {
        let crlf = Self.readmeConfigs[0].replacingOccurrences(of: "\n", with: "\r\n")
        let file = try ConfigFile.parse(crlf)
        #expect(file.profiles["work"]?.baseURL == "https://api.example.com")
        #expect(file.defaultProfile == "work")
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[profiles.a]\nbase_url = \"x\"\n[profiles.a]\napi_key = \"y\"") }
        #expect(throws: ConfigError.invalidFile("[prices] NanoBanana must be a number of 0 or more (a price per image)")) {
            try ConfigFile.parse("[prices]\nNanoBanana = inf")
        }
        #expect(try ConfigFile.parse("[prices]\nNanoBanana = 0x10").prices?.models["NanoBanana"] == 16)
    }
}
