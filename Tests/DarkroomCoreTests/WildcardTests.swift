import DarkroomTestSupport
import Foundation
import Testing
@testable import DarkroomCore

/// Wildcards: `{@name}` stands for every line of `wildcards/name.txt`, read from
/// a real folder; what is wrong with a file names it and its line.
@Suite("Wildcards")
struct WildcardTests {
    /// A wildcards folder with these files (name → bytes).
    func folder(_ files: [String: [UInt8]]) throws -> (TempDir, WildcardSet) {
        let dir = TempDir()
        for (name, bytes) in files { try Data(bytes).write(to: dir.url.appendingPathComponent(name)) }
        return (dir, WildcardSet.load(folder: dir.url))
    }

    func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test("each file's lines, trimmed, blank ones skipped; CRLF and a byte-order mark read as plain lines; other files left alone")
    func load() throws {
        let (dir, _) = try folder([
            "colors.txt": text("red\n  deep blue \t\n\n   \ngreen"),
            "crlf.txt": [0xEF, 0xBB, 0xBF] + text("one\r\ntwo\r\n"),
            "notes.md": text("not a wildcard"),
            "bad name.txt": text("never read"),
        ])
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("folder.txt"), withIntermediateDirectories: true)
        // A pipe would block a reader forever: it is left alone.
        #expect(mkfifo(dir.url.appendingPathComponent("pipe.txt").path, 0o600) == 0)
        let set = WildcardSet.load(folder: dir.url)
        #expect(set.lines == ["colors": ["red", "deep blue", "green"], "crlf": ["one", "two"]])
        #expect(set.problems.isEmpty)
        #expect(set.names == ["colors", "crlf"])
        #expect(set.folder == dir.url)
        // No folder at all: nothing, and no error until a prompt uses a name.
        #expect(WildcardSet.load(folder: dir.url.appendingPathComponent("missing")).lines.isEmpty)
    }

    @Test("{@name} stands for each line, as a group for each alternative, in reading order; two uses vary independently")
    func expand() throws {
        let (_, set) = try folder(["colors.txt": text("red\nblue\n"), "animal.txt": text("fox\nowl\ncat\n")])
        #expect(try PromptAlternatives.expand("a {@colors} {@animal}", wildcards: set)
                == ["a red fox", "a red owl", "a red cat", "a blue fox", "a blue owl", "a blue cat"])
        #expect(PromptAlternatives.count("a {@colors} {@animal} in {fog|snow}", wildcards: set) == 12)
        #expect(try PromptAlternatives.expand("{@colors} and {@colors}", wildcards: set) == ["red and red", "red and blue", "blue and red", "blue and blue"])
        #expect(PromptAlternatives.wildcardNames("{@colors} {a|b} {@animal} {@colors}") == ["colors", "animal"])
        // Lines are taken as written: not read again for groups or wildcards.
        let (_, odd) = try folder(["odd.txt": text("{x|y}\n{@odd}\n")])
        #expect(try PromptAlternatives.expand("[{@odd}]", wildcards: odd) == ["[{x|y}]", "[{@odd}]"])
    }

    @Test("\\{@name} is text, as other escapes are; a {@…} left open, or holding |, or inside a group is refused")
    func escapesAndShapes() throws {
        #expect(try PromptAlternatives.expand(#"a \{@colors} fox"#) == ["a {@colors} fox"])
        #expect(PromptAlternatives.wildcardNames(#"a \{@colors} fox"#).isEmpty)
        #expect(try PromptAlternatives.expand("mail me at {home}") == ["mail me at {home}"])
        #expect(throws: PromptAlternatives.Failure(message: "the wildcard opened at character 3 has no closing } (\\{ is a brace)")) {
            try PromptAlternatives.expand("a {@colors fox")
        }
        #expect(throws: PromptAlternatives.Failure(message: "the wildcard opened at character 1 holds a |: a wildcard is {@name}, one name (\\{ is a brace)")) {
            try PromptAlternatives.expand("{@a|b}")
        }
        #expect(throws: PromptAlternatives.Failure(
            message: "a wildcard {@…} inside the group opened at character 3: a wildcard cannot be one alternative of a group; put it outside the group (\\{ is a brace)")) {
            try PromptAlternatives.expand("a {red|{@colors}} fox")
        }
    }

    @Test("a name that is not a word never reads a file: {@../x} and {@} are refused")
    func badNames() throws {
        let dir = TempDir()
        let inner = dir.url.appendingPathComponent("wildcards")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try Data("secret\n".utf8).write(to: dir.url.appendingPathComponent("x.txt"))
        let set = WildcardSet.load(folder: inner)
        for prompt in ["a {@../x} fox", "a {@} fox", "a {@a b} fox", "{@x.txt}"] {
            #expect(throws: PromptAlternatives.Failure.self) { try PromptAlternatives.expand(prompt, wildcards: set) }
        }
        do { _ = try PromptAlternatives.expand("a {@../x} fox", wildcards: set) } catch {
            #expect(error.message == "{@../x}: a wildcard's name is letters, digits, _ and - (the file wildcards/NAME.txt)")
        }
    }

    @Test("a missing file, an empty one, a control character, bytes that are not UTF-8: a message naming the file and the line")
    func problems() throws {
        let (dir, set) = try folder([
            "empty.txt": text("\n   \n\t\n"),
            "tabbed.txt": text("red\nblue\tgreen\n"),
            "escape.txt": text("red\nblue\n\u{1B}[31mgreen\n"),
            "latin1.txt": text("red\nblue\n") + [0x63, 0x61, 0x66, 0xE9, 0x0A],
            "good.txt": text("fine\n"),
        ])
        let p = dir.url.path
        func message(_ prompt: String) -> String? {
            do { _ = try PromptAlternatives.expand(prompt, wildcards: set); return nil } catch { return error.message }
        }
        #expect(message("a {@colors} fox") == "{@colors}: there is no file \(p)/colors.txt (one choice per line)")
        #expect(message("a {@empty} fox") == "\(p)/empty.txt: holds no choice (blank lines are skipped): write one choice per line")
        #expect(message("a {@tabbed} fox") == "\(p)/tabbed.txt line 2: a tab (U+0009) inside the line; write each choice as plain text on its own line")
        #expect(message("a {@escape} fox") == "\(p)/escape.txt line 3: a control character (U+001B) inside the line; write each choice as plain text on its own line")
        #expect(message("a {@latin1} fox") == "\(p)/latin1.txt line 3: is not UTF-8 text (save it as UTF-8)")
        #expect(set.problems["tabbed"]?.line == 2 && set.problems["tabbed"]?.path == "\(p)/tabbed.txt")
        // A broken file no prompt uses stops nothing.
        #expect(try PromptAlternatives.expand("a {@good} fox", wildcards: set) == ["a fine fox"])
        // An unreadable file (not as root, who reads everything).
        if getuid() != 0 {
            let locked = dir.url.appendingPathComponent("locked.txt")
            try Data("x\n".utf8).write(to: locked)
            chmod(locked.path, 0)
            #expect(WildcardSet.load(folder: dir.url).problems["locked"]?.message == "\(p)/locked.txt: cannot be read (permission denied)")
        }
        // Without a folder (the default set): no such file, said without a path.
        #expect(throws: PromptAlternatives.Failure(message: "{@colors}: there is no file wildcards/colors.txt (one choice per line)")) {
            try PromptAlternatives.expand("a {@colors} fox")
        }
    }

    @Test("a file over 1 MiB is refused rather than read")
    func tooLarge() throws {
        let (dir, set) = try folder(["big.txt": [UInt8](repeating: 0x61, count: WildcardSet.maxFileBytes + 1)])
        #expect(set.problems["big"]?.message == "\(dir.url.path)/big.txt: is over 1 MiB: not a list of choices")
    }
}
