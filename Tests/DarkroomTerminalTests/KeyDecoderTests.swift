import DarkroomTUI
import Foundation
import Testing
@testable import DarkroomTerminal

/// Feeds bytes at one instant, then lets a second pass (so a lone Esc, a paste
/// that never ended or a cut sequence is settled), as a terminal would.
func decode(_ bytes: [UInt8], mouse: Bool = true) -> [Event] {
    var d = KeyDecoder()
    d.mouseEnabled = mouse
    return d.feed(bytes, now: .zero) + d.expire(now: .seconds(1))
}

func decode(_ text: String, mouse: Bool = true) -> [Event] { decode(Array(text.utf8), mouse: mouse) }

let esc = "\u{1B}"

@Suite("Key decoder: what terminals send")
struct KeyDecoderTests {
    // MARK: The reproductions of issue 11

    @Test("a paste that never ends is closed after 200 ms of silence; keys work again")
    func unendedPaste() {
        var d = KeyDecoder()
        #expect(d.feed(Array("\(esc)[200~abc".utf8), now: .zero).isEmpty)
        #expect(d.deadline == .milliseconds(200))
        #expect(d.expire(now: .milliseconds(199)).isEmpty, "not yet: a paste may pause")
        #expect(d.expire(now: .milliseconds(200)) == [.paste("abc")])
        #expect(d.feed([3], now: .milliseconds(250)) == [.key(.ctrl("c"))], "Ctrl-C acts again")
        #expect(d.deadline == nil)
    }

    @Test("a paste is one event, split across reads, with tabs kept and CR or CRLF as newlines")
    func paste() {
        var d = KeyDecoder()
        #expect(d.feed(Array("\(esc)[200~one\ttwo\r\nthree\r".utf8), now: .zero).isEmpty)
        #expect(d.feed(Array("four\(esc)[20".utf8), now: .milliseconds(100)).isEmpty, "the end marker may be split too")
        #expect(d.feed(Array("1~x".utf8), now: .milliseconds(150)) == [.paste("one\ttwo\nthree\nfour"), .key(.char("x"))])
    }

    @Test("a paste keeps its text literal: escape sequences in it are not keys, ESC is dropped")
    func pasteIsLiteral() {
        #expect(decode("\(esc)[200~a\(esc)[1;5Db\u{3}c\(esc)[201~") == [.paste("a[1;5Dbc")])
    }

    @Test("a paste larger than the cap arrives in pieces of whole characters, all as pastes")
    func pasteCap() {
        var d = KeyDecoder()
        d.pasteCap = 8
        let text = "ééééé\r\nabc" // 10 bytes of é, then CRLF
        let events = d.feed(Array("\(esc)[200~\(text)\(esc)[201~".utf8), now: .zero)
        #expect(events.count > 1)
        var joined = ""
        for e in events {
            guard case let .paste(p) = e else { Issue.record("not a paste: \(e)"); continue }
            joined += p
        }
        #expect(joined == "ééééé\nabc", "no character cut, no CRLF doubled")
    }

    @Test("Shift-Enter and Alt-Enter, however they are sent, are keys, never text",
          arguments: [("\(esc)[27;2;13~", Key.shiftEnter), ("\(esc)[13;2u", .shiftEnter), ("\(esc)[27;3;13~", .altEnter),
                      ("\(esc)[13;3u", .altEnter), ("\(esc)\r", .altEnter), ("\(esc)[13u", .enter)])
    func modifiedEnter(sequence: String, key: Key) {
        #expect(decode(sequence) == [.key(key)])
    }

    @Test("replies and reports a terminal sends unasked are dropped whole",
          arguments: ["\(esc)[12;40R",                          // cursor position report
                      "\(esc)[?62;22c",                         // primary device attributes
                      "\(esc)[>41;354;0c",                      // secondary device attributes
                      "\(esc)]11;rgb:0000/0000/0000\(esc)\\",   // OSC colour reply ended by ST
                      "\(esc)]10;rgb:ffff/ffff/ffff\u{7}",      // ... and by BEL
                      "\(esc)P1$r0m\(esc)\\",                   // DCS: DECRQSS reply
                      "\(esc)_Gi=1;OK\(esc)\\",                 // APC: kitty graphics reply
                      "\(esc)[?2004;1$y",                       // DECRPM mode report
                      "\(esc)[I", "\(esc)[O",                   // focus in, focus out
                      "\(esc)[1;7Q",                            // Ctrl-Alt-F2: no use here
                      "\(esc)[8;24;80t",                        // window size report
                      "\(esc)[2~",                              // Insert
                      "\u{C3}"])                                // a lone UTF-8 lead byte
    func dropped(sequence: String) {
        let bytes = sequence == "\u{C3}" ? [0xC3] : Array(sequence.utf8)
        #expect(decode(bytes).isEmpty, "\(sequence.debugDescription)")
        // And the key after it is read as it is.
        var d = KeyDecoder()
        #expect(d.feed(bytes + Array("z".utf8), now: .zero) + d.expire(now: .seconds(1)) == [.key(.char("z"))])
    }

    @Test("SGR mouse reports are clicks when the mouse is on and dropped when it is off")
    func sgrMouse() {
        #expect(decode("\(esc)[<0;10;5M\(esc)[<0;10;5m", mouse: true) == [.mouse(.click, x: 9, y: 4)])
        #expect(decode("\(esc)[<0;10;5M", mouse: false).isEmpty)
        #expect(decode("\(esc)[<64;3;3M\(esc)[<65;3;3M") == [.mouse(.wheelUp, x: 2, y: 2), .mouse(.wheelDown, x: 2, y: 2)])
        #expect(decode("\(esc)[<35;3;3M").isEmpty, "motion is not asked for and not reported")
    }

    @Test("a second click at the same cell within 400 ms is a double click")
    func doubleClick() {
        var d = KeyDecoder()
        let click = Array("\(esc)[<0;4;2M".utf8)
        #expect(d.feed(click, now: .zero) == [.mouse(.click, x: 3, y: 1)])
        #expect(d.feed(click, now: .milliseconds(300)) == [.mouse(.doubleClick, x: 3, y: 1)])
        #expect(d.feed(click, now: .milliseconds(2000)) == [.mouse(.click, x: 3, y: 1)])
        #expect(d.feed(click, now: .milliseconds(2300)) == [.mouse(.doubleClick, x: 3, y: 1)])
    }

    @Test("X10 mouse reports (ESC [ M and three bytes)")
    func x10Mouse() {
        #expect(decode([27, 91, 77, 32, 33 + 60, 33 + 4]) == [.mouse(.click, x: 60, y: 4)])
        #expect(decode([27, 91, 77, 32 + 64, 40, 40]) == [.mouse(.wheelUp, x: 7, y: 7)])
    }

    // MARK: xterm's ctlseqs: PC-style function keys with modifiers

    @Test("Ctrl and Alt arrows move by word: xterm's modifier parameter",
          arguments: [("\(esc)[1;5D", Key.ctrlLeft), ("\(esc)[1;5C", .ctrlRight), ("\(esc)[1;3D", .ctrlLeft), ("\(esc)[1;3C", .ctrlRight),
                      ("\(esc)[1;2D", .left), ("\(esc)[1;2A", .up), ("\(esc)[1;5A", .up), ("\(esc)[D", .left), ("\(esc)OD", .left),
                      ("\(esc)O5D", .ctrlLeft), ("\(esc)Od", .ctrlLeft), ("\(esc)Oc", .ctrlRight), ("\(esc)[d", .left),
                      ("\(esc)b", .alt("b")), ("\(esc)f", .alt("f")),
                      // Alt as an ESC before the key's sequence (iTerm2's terminfo: kLFT3=\E\E[D).
                      ("\(esc)\(esc)[D", .ctrlLeft), ("\(esc)\(esc)[C", .ctrlRight), ("\(esc)\(esc)[A", .up)])
    func arrows(sequence: String, key: Key) {
        #expect(decode(sequence) == [.key(key)])
    }

    @Test("Home, End, Delete, PgUp, PgDn in every form xterm, VT220, rxvt and the console send",
          arguments: [("\(esc)[H", Key.home), ("\(esc)OH", .home), ("\(esc)[1~", .home), ("\(esc)[7~", .home), ("\(esc)[1;5H", .home),
                      ("\(esc)[F", .end), ("\(esc)OF", .end), ("\(esc)[4~", .end), ("\(esc)[8~", .end), ("\(esc)[1;2F", .end),
                      ("\(esc)[3~", .delete), ("\(esc)[3;5~", .delete), ("\(esc)[3$", .delete), ("\(esc)[3^", .delete),
                      ("\(esc)[5~", .pageUp), ("\(esc)[6~", .pageDown), ("\(esc)[5;5~", .pageUp), ("\(esc)[Z", .backTab),
                      ("\(esc)\t", .backTab)])
    func editingKeys(sequence: String, key: Key) {
        #expect(decode(sequence) == [.key(key)])
    }

    @Test("F1 to F12 in their SS3, CSI and console forms; with a modifier they are dropped",
          arguments: [("\(esc)OP", 1), ("\(esc)[11~", 1), ("\(esc)[[A", 1), ("\(esc)[P", 1), ("\(esc)[1P", 1), ("\(esc)OQ", 2), ("\(esc)[12~", 2),
                      ("\(esc)OR", 3), ("\(esc)[13~", 3), ("\(esc)[[C", 3), ("\(esc)OS", 4), ("\(esc)[14~", 4), ("\(esc)[[E", 5), ("\(esc)[15~", 5),
                      ("\(esc)[17~", 6), ("\(esc)[18~", 7), ("\(esc)[19~", 8), ("\(esc)[20~", 9), ("\(esc)[21~", 10), ("\(esc)[23~", 11),
                      ("\(esc)[24~", 12), ("\(esc)[15;5~", 0), ("\(esc)[1;2P", 0), ("\(esc)O2P", 0), ("\(esc)[11^", 0)])
    func functionKeys(sequence: String, n: Int) {
        #expect(decode(sequence) == (n == 0 ? [] : [.key(.f(n))]))
    }

    @Test("CSI-u (fixterms, kitty's basic form): letters with Ctrl and Alt, Tab, Esc, Backspace",
          arguments: [("\(esc)[99;5u", Key.ctrl("c")), ("\(esc)[115;5u", .ctrl("s")), ("\(esc)[97;3u", .alt("a")), ("\(esc)[97u", .char("a")),
                      ("\(esc)[97;2u", .char("A")), ("\(esc)[9u", .tab), ("\(esc)[9;2u", .backTab), ("\(esc)[27u", .escape),
                      ("\(esc)[127u", .backspace), ("\(esc)[127;3u", .alt("\u{7F}")), ("\(esc)[233u", .char("é")),
                      ("\(esc)[97:65;5u", .ctrl("a")), ("\(esc)[27;5;115~", .ctrl("s"))])
    func csiU(sequence: String, key: Key) {
        #expect(decode(sequence) == [.key(key)])
    }

    // MARK: Plain bytes

    @Test("control bytes are Ctrl keys; Enter is CR, a bare LF is Ctrl-J; DEL and BS are Backspace")
    func controls() {
        #expect(decode([1, 3, 9, 13, 10, 8, 127, 19, 23]) == [
            .key(.ctrl("a")), .key(.ctrl("c")), .key(.tab), .key(.enter), .key(.ctrl("j")), .key(.backspace), .key(.backspace),
            .key(.ctrl("s")), .key(.ctrl("w")),
        ])
        #expect(decode([0, 28, 29, 30, 31]).isEmpty, "NUL and the Ctrl-\\ family have no use here")
    }

    @Test("Esc alone is Escape once 25 ms pass; Esc then a key is Alt; Esc Esc is Escape then Esc pending")
    func escape() {
        var d = KeyDecoder()
        #expect(d.feed([27], now: .zero).isEmpty)
        #expect(d.deadline == .milliseconds(25))
        #expect(d.expire(now: .milliseconds(24)).isEmpty)
        #expect(d.expire(now: .milliseconds(25)) == [.key(.escape)])
        #expect(decode("\(esc)x") == [.key(.alt("x"))])
        #expect(decode("\(esc)\u{7F}") == [.key(.alt("\u{7F}"))], "Alt-Backspace")
        #expect(decode("\(esc)\(esc)") == [.key(.escape), .key(.escape)])
        #expect(decode("\(esc)é") == [.key(.escape), .key(.char("é"))])
    }

    @Test("UTF-8 is decoded across reads; invalid bytes never become characters")
    func utf8() {
        var d = KeyDecoder()
        let cat = Array("猫".utf8)
        #expect(d.feed([cat[0]], now: .zero).isEmpty)
        #expect(d.feed(Array(cat[1...]), now: .milliseconds(5)) == [.key(.char("猫"))])
        #expect(decode([0xC3, 0xA9]) == [.key(.char("é"))])
        #expect(decode([0xC3, 0x41]) == [.key(.char("A"))], "a cut character is dropped, the byte after it is read")
        #expect(decode([0x80, 0xBF, 0xFF, 0xC0, 0xAF, 0x41]) == [.key(.char("A"))], "stray continuations, 0xFF, overlong forms")
        #expect(decode([0xED, 0xA0, 0x80, 0x42]) == [.key(.char("B"))], "a UTF-16 surrogate encoded in UTF-8")
        #expect(decode(Array("👩‍🚀".utf8)).count == 3, "a ZWJ sequence arrives scalar by scalar; the editor joins them")
    }

    @Test("a sequence cut short is dropped whole after 100 ms, never typed")
    func cutSequence() {
        var d = KeyDecoder()
        #expect(d.feed(Array("\(esc)[1;5".utf8), now: .zero).isEmpty)
        #expect(d.expire(now: .milliseconds(100)).isEmpty)
        #expect(d.feed(Array("D".utf8), now: .milliseconds(150)) == [.key(.char("D"))], "what comes after is read afresh")
        // An ESC inside an unfinished sequence starts a new one.
        #expect(decode("\(esc)[1;\(esc)[A") == [.key(.up)])
        // An OSC string interrupted by a key sequence: the string is dropped, the key read.
        #expect(decode("\(esc)]11;rgb:00\(esc)[B") == [.key(.down)])
    }
}
