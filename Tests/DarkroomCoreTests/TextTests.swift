import Foundation
import Testing
@testable import DarkroomCore

@Suite("Terminal sanitizer")
struct SanitizerTests {
    @Test("removes CSI, OSC, DCS and two-byte escapes whole")
    func sequences() {
        #expect(TerminalSanitizer.clean("a\u{1B}[1;31mb\u{1B}[0mc") == "abc")
        #expect(TerminalSanitizer.clean("x\u{1B}]52;c;ZXZpbA==\u{07}y") == "xy")
        #expect(TerminalSanitizer.clean("x\u{1B}]8;;http://evil\u{1B}\\link\u{1B}]8;;\u{1B}\\y") == "xlinky")
        #expect(TerminalSanitizer.clean("x\u{1B}Pq#0;2;0;0;0\u{1B}\\y") == "xy")
        #expect(TerminalSanitizer.clean("x\u{1B}cy") == "xy")
    }

    @Test("removes C0, DEL and C1 controls, including 8-bit CSI")
    func controls() {
        #expect(TerminalSanitizer.clean("a\u{00}b\u{07}c\u{08}d\u{7F}e\u{85}f") == "abcdef")
        #expect(TerminalSanitizer.clean("a\u{9B}2Jb") == "ab")
    }

    @Test("turns newlines into spaces unless asked to keep them")
    func newlines() {
        #expect(TerminalSanitizer.clean("a\nb\tc") == "a b c")
        #expect(TerminalSanitizer.clean("a\r\nb", keepNewlines: true) == "a\nb")
    }

    @Test("keeps CJK, accents and emoji")
    func unicode() {
        #expect(TerminalSanitizer.clean("猫 café 🎨") == "猫 café 🎨")
    }

    @Test("drops bidirectional overrides")
    func bidi() {
        #expect(TerminalSanitizer.clean("abc\u{202E}gnp.exe") == "abcgnp.exe")
    }
}

@Suite("JSON")
struct JSONTests {
    @Test("parses and serializes round trip, keeping key order")
    func roundTrip() throws {
        let text = #"{"b":1,"a":[true,false,null,"x\"y",1.5,-2,{"c":"\u00e9\ud83c\udfa8"}]}"#
        let v = try JSONParser.parse(text)
        #expect(v.serialized() == #"{"b":1,"a":[true,false,null,"x\"y",1.5,-2,{"c":"é🎨"}]}"#)
    }

    @Test("refuses malformed input without trapping", arguments: ["", "{", "[1,]", "{\"a\":}", "nul", "\"\u{01}\"", "1 2", "[" + String(repeating: "[", count: 100)])
    func malformed(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }
}

@Suite("API key")
struct APIKeyTests {
    @Test("never shows the key in its description")
    func masked() {
        let k = APIKey("  sk-abcdefghijklmnop1234\n")
        #expect(k?.reveal() == "sk-abcdefghijklmnop1234")
        #expect(k?.description == "sk-…1234")
        #expect("\(String(describing: k))".contains("abcdefgh") == false)
        #expect(APIKey("sk-short")?.masked == "sk-…")
        #expect(APIKey("   ") == nil)
    }
}

@Suite("File errors in words")
struct FileErrorTextTests {
    @Test("Foundation's file errors are said in words, never as a domain and a number")
    func words() throws {
        #expect(FileErrorText.describe(CocoaError(.fileWriteFileExists)).hasPrefix("something of that name is already there"))
        #expect(FileErrorText.describe(CocoaError(.fileWriteOutOfSpace)) == "the disk is full")
        #expect(FileErrorText.describe(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))) == String(cString: strerror(ENOSPC)))
        // A copy onto a dangling symbolic link, as export met it.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-fe-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("a.png")
        try Data([1]).write(to: source)
        let link = dir.appendingPathComponent("b.png")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: dir.appendingPathComponent("gone").path)
        do {
            try FileManager.default.copyItem(at: source, to: link)
            Issue.record("the copy went through a dangling link")
        } catch {
            let text = FileErrorText.describe(error)
            #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("error 256") && !text.isEmpty, "\(text)")
        }
    }
}
