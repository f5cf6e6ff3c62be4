import DarkroomTUI
import Foundation
import PropertyBased
import Testing
@testable import DarkroomTerminal

/// Property tests of the key decoder over streams of what terminals send, cut
/// into reads at random points and spread over time.
///
/// The default run is deterministic: the same 2,000 seeds every time, drawn
/// through the library's generators and its Xoshiro generator. `DARKROOM_FUZZ=1`
/// adds a run on fresh random seeds with shrinking (a failure names its seed).
@Suite("Key decoder: properties of random streams")
struct KeyDecoderPropertyTests {
    /// One piece of a stream: its bytes, the letters it types (plain text only),
    /// and the silence after it in milliseconds.
    struct Piece: CustomStringConvertible {
        var bytes: [UInt8]
        var typed = ""
        var silence = 0
        var description: String { String(decoding: bytes, as: UTF8.self).debugDescription + (silence > 0 ? " +\(silence)ms" : "") }
    }

    /// A piece from one random number: plain letters, or a well-formed sequence of
    /// one of the kinds a terminal sends, or something broken.
    static func piece(_ r: UInt64) -> Piece {
        var r = r
        func take(_ n: UInt64) -> Int { defer { r /= n }; return Int(r % n) }
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        func params() -> [UInt8] {
            (0..<take(4)).flatMap { i in (i > 0 ? [UInt8(ascii: ";")] : []) + Array(String(take(300)).utf8) }
        }
        switch take(13) {
        case 0, 1, 2:
            let word = (0..<(1 + take(5))).map { _ in letters[take(UInt64(letters.count))] }
            return Piece(bytes: word, typed: String(decoding: word, as: UTF8.self))
        case 3:
            // Any CSI: a private marker or none, parameters, maybe an intermediate, any
            // final but the few that name characters (`u`, `~`), start a mouse report or
            // F-key tail (`M`, `[`). No `$` right after digits: rxvt's shifted keys end so.
            let marker: [UInt8] = [[], [], [UInt8(ascii: "?")], [UInt8(ascii: ">")], [UInt8(ascii: "<")], [UInt8(ascii: "=")]][take(6)]
            let intermediates: [UInt8] = [0x20, 0x21, 0x22, 0x23, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F]
            let inter: [UInt8] = take(4) == 0 ? [intermediates[take(UInt64(intermediates.count))]] : []
            let finals = Array(UInt8(0x40)...UInt8(0x7E)).filter { !"u~M[".utf8.contains($0) }
            return Piece(bytes: [27, 91] + marker + params() + inter + [finals[take(UInt64(finals.count))]])
        case 4:
            // OSC, DCS, APC, PM, SOS with printable content, ended by BEL or ST.
            let intro = Array("]P_^X".utf8)[take(5)]
            let body = (0..<take(40)).map { _ in UInt8(0x20 + take(95)) }
            return Piece(bytes: [27, intro] + body + (take(2) == 0 ? [7] : [27, 92]))
        case 5:
            return Piece(bytes: [27, 79] + (take(3) == 0 ? Array(String(take(9)).utf8) : []) + [UInt8(0x40 + take(63))])
        case 6:
            let b = [0, 3, 32, 35, 64, 65][take(6)]
            return Piece(bytes: Array("\u{1B}[<\(b);\(1 + take(300));\(1 + take(300))\(take(2) == 0 ? "M" : "m")".utf8))
        case 7:
            // Bytes that are not ASCII: may or may not be UTF-8.
            return Piece(bytes: (0..<(1 + take(4))).map { _ in UInt8(0x80 + take(128)) })
        case 8:
            // A control byte (a Ctrl key), never ESC.
            let c = UInt8(take(32))
            return Piece(bytes: [c == 27 ? 13 : c])
        case 9:
            // A whole paste with anything printable in it, escape sequences included.
            let body = (0..<take(60)).map { _ in [UInt8(0x20 + take(95)), 27, 9, 13, 10][take(8) < 4 ? 0 : take(5)] }
            return Piece(bytes: Array("\u{1B}[200~".utf8) + body + Array("\u{1B}[201~".utf8))
        case 10:
            // A paste that never ends: closed by the silence after it.
            let body = (0..<take(30)).map { _ in letters[take(UInt64(letters.count))] }
            return Piece(bytes: Array("\u{1B}[200~".utf8) + body, silence: 200 + take(300))
        case 11:
            // Esc alone, then silence.
            return Piece(bytes: [27], silence: 25 + take(100))
        default:
            // A sequence or character cut short, then silence.
            let cut: [[UInt8]] = [[27, 91], [27, 91, 49, 59], [27, 93, 49, 49, 59], [27, 79], [0xE2, 0x82], [0xF0], [27, 91, 60, 48, 59]]
            return Piece(bytes: cut[take(UInt64(cut.count))], silence: 100 + take(500))
        }
    }

    /// Feeds the pieces as a terminal would (reads cut at random points; time
    /// moves only by the pieces' silences and a few ms between reads).
    static func run(_ pieces: [Piece], cuts: [UInt64]) -> (events: [Event], decoder: KeyDecoder, now: Duration) {
        var d = KeyDecoder()
        var events: [Event] = []
        var now = Duration.zero
        var c = 0
        for p in pieces {
            var rest = p.bytes[...]
            while !rest.isEmpty {
                let n = 1 + Int(cuts.isEmpty ? UInt64(rest.count) : cuts[c % cuts.count] % UInt64(rest.count))
                c += 1
                events += d.expire(now: now)
                events += d.feed(Array(rest.prefix(n)), now: now)
                rest = rest.dropFirst(n)
                now += .milliseconds(Int(cuts.isEmpty ? 0 : cuts[c % cuts.count] % 5))
            }
            if p.silence > 0 {
                now += .milliseconds(p.silence)
                events += d.expire(now: now)
            }
        }
        now += .seconds(1)
        events += d.expire(now: now)
        return (events, d, now)
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (0x7F...0x9F).contains(u.value) }

    /// What must hold for every stream.
    static func check(_ pieces: [Piece], cuts: [UInt64]) {
        var (events, d, now) = run(pieces, cuts: cuts)
        let typed = events.compactMap { e -> Character? in if case let .key(.char(c)) = e { return c } else { return nil } }
        for c in typed {
            #expect(!c.unicodeScalars.contains(where: isControl), "a control character typed: \(c.debugDescription) from \(pieces)")
        }
        let text = String(typed)
        // Scalars, not Characters: the Greek question mark U+037E is canonically a ";".
        #expect(!text.unicodeScalars.contains { $0 == "[" || $0 == ";" }, "a sequence leaked as text \(text.debugDescription) from \(pieces)")
        // Scalar by scalar: a combining mark read after a letter joins it into one Character.
        let letters = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }))
        #expect(letters == pieces.map(\.typed).joined(), "keys lost or made up from \(pieces)")
        for case let .paste(p) in events {
            #expect(!p.unicodeScalars.contains { isControl($0) && $0 != "\n" && $0 != "\t" }, "a control character pasted from \(pieces)")
        }
        #expect(d.deadline == nil, "something still pending after the stream ended: \(pieces)")
        #expect(d.feed(Array("q".utf8), now: now) == [.key(.char("q"))], "the next key after \(pieces)")
    }

    static let pieces = Gen.uint64().array(of: 1...40)
    static let cuts = Gen.uint64().array(of: 0...8)
    static let bytes = Gen.uint8().array(of: 0...300)

    @Test("streams of keys, sequences, replies, pastes and broken bytes: no sequence typed, no key lost (2,000 fixed seeds)")
    func fixedSeeds() {
        for seed in 0..<2000 as Range<UInt64> {
            var rng = Xoshiro(seed: (seed, 0x9E37_79B9_7F4A_7C15, seed &* 31, 7))
            let p = Self.pieces.run(using: &rng).map(Self.piece)
            let c = Self.cuts.run(using: &rng)
            Self.check(p, cuts: c)
        }
    }

    @Test("any bytes at all: never a control character typed, nothing pending once time passes, the next key read (2,000 fixed seeds)")
    func anyBytes() {
        for seed in 0..<2000 as Range<UInt64> {
            var rng = Xoshiro(seed: (seed, 0xD1B5_4A32_D192_ED03, seed &* 17, 11))
            let b = Self.bytes.run(using: &rng)
            let c = Self.cuts.run(using: &rng)
            let (events, decoder, now) = Self.run([Piece(bytes: b, silence: Int((c.first ?? 0) % 300))], cuts: c)
            var d = decoder
            for case let .key(.char(ch)) in events {
                #expect(!ch.unicodeScalars.contains(where: Self.isControl), "seed \(seed): \(ch.debugDescription)")
            }
            for case let .paste(p) in events {
                #expect(!p.unicodeScalars.contains { Self.isControl($0) && $0 != "\n" && $0 != "\t" }, "seed \(seed)")
            }
            #expect(d.deadline == nil, "seed \(seed): pending after the stream")
            #expect(d.feed(Array("q".utf8), now: now) == [.key(.char("q"))], "seed \(seed): the next key")
        }
    }

    @Test("the same, on fresh random seeds with shrinking (DARKROOM_FUZZ=1)",
          .enabled(if: ProcessInfo.processInfo.environment["DARKROOM_FUZZ"] == "1"))
    func fuzz() async {
        await propertyCheck(count: 20_000, input: Self.pieces, Self.cuts) { p, c in
            Self.check(p.map(Self.piece), cuts: c)
        }
    }
}
