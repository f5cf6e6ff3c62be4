import DarkroomTestSupport
import Foundation
import Testing
@testable import DarkroomCore

/// Styles: named prompt wrappers from the config file, applied to requests and
/// kept with them (never sent).
@Suite("Styles")
struct StyleTests {
    let film = PromptStyle(name: "film", template: "{prompt}, 35mm film, soft grain")
    let noir = PromptStyle(name: "noir", template: "film noir still of {prompt}; {prompt} in shadow")

    @Test("a style puts the prompt at every {prompt}, once: a {prompt} in the user's prompt stays as typed")
    func apply() {
        #expect(film.apply(to: "a red fox") == "a red fox, 35mm film, soft grain")
        #expect(noir.apply(to: "a fox") == "film noir still of a fox; a fox in shadow")
        #expect(film.apply(to: "say {prompt}") == "say {prompt}, 35mm film, soft grain")
        #expect(film.apply(to: "一只猫 🎨") == "一只猫 🎨, 35mm film, soft grain")
    }

    @Test("styled(_:) records the style and the prompt as typed; styling again replaces the style; nil takes it off")
    func styled() {
        let r = ImageRequest(model: "gpt-image-2", prompt: "a red fox", size: "1024x1024").styled(film)
        #expect(r.prompt == "a red fox, 35mm film, soft grain")
        #expect(r.style == StyleUse(name: "film", prompt: "a red fox"))
        #expect(r.typedPrompt == "a red fox")
        let again = r.styled(noir)
        #expect(again.prompt == "film noir still of a red fox; a red fox in shadow")
        #expect(again.style == StyleUse(name: "noir", prompt: "a red fox"))
        let off = r.styled(nil)
        #expect(off.prompt == "a red fox" && off.style == nil)
    }

    @Test("the style is kept in the stored JSON (both readers) and never sent; older requests without it read as before")
    func storedNotSent() throws {
        let r = ImageRequest(model: "gpt-image-2", prompt: "a red fox", size: "1024x1024").styled(film)
        let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        #expect(json.contains("\"style\":{"))
        #expect(try JSONDecoder().decode(ImageRequest.self, from: Data(json.utf8)) == r)
        #expect(ImageRequest.fromStoredJSON(json) == r)
        // Sent: the styled prompt, and nothing named style.
        let valid = try RequestValidator.validate(r).get()
        let body = RequestEncoder.jsonObject(valid)
        #expect(body["prompt"]?.stringValue == "a red fox, 35mm film, soft grain")
        #expect(body["style"] == nil)
        #expect(!RequestEncoder.textFields(valid).contains { $0.0 == "style" })
        // Written before styles existed (no "style" key): no style.
        let old = #"{"model":"NanoBanana","prompt":"a lighthouse","references":[],"n":1,"allowUnknownModel":false}"#
        #expect(try JSONDecoder().decode(ImageRequest.self, from: Data(old.utf8)).style == nil)
        #expect(ImageRequest.fromStoredJSON(old)?.style == nil)
        #expect(ImageRequest.fromStoredJSON(old)?.prompt == "a lighthouse")
        // A request without a style writes no "style" key at all (as before).
        #expect(!String(decoding: try JSONEncoder().encode(ImageRequest(model: "NanoBanana", prompt: "x")), as: UTF8.self).contains("style"))
    }

    @Test("[styles.NAME] in the config file: global, by name, on the resolved configuration too")
    func config() throws {
        let text = """
            [styles.film]
            prompt = "{prompt}, 35mm film, soft grain"
            [styles.noir-2]
            prompt = '''
            {prompt}
            black and white'''
            [profiles.work]
            base_url = "https://api.example.com"
            api_key = "sk-work-0001"
            """
        let file = try ConfigFile.parse(text)
        #expect(file.styles == ["film": film, "noir-2": PromptStyle(name: "noir-2", template: "{prompt}\nblack and white")])
        #expect(file.warnings.isEmpty)
        #expect(try ConfigFile.parse("").styles.isEmpty)
        let resolver = ConfigResolver(readFile: { _ in (text, 0o600) }, runKeyCommand: { _ in "" })
        let c = try resolver.resolve(overrides: ConfigOverrides(profile: "work"), environment: ["HOME": "/home/u"])
        #expect(c.styles["film"] == film)
    }

    @Test("a style without {prompt}, an empty one, a name that is not a word, another key: an error naming the style and the file")
    func configErrors() throws {
        func message(_ text: String) -> String? {
            let resolver = ConfigResolver(readFile: { _ in (text, 0o600) }, runKeyCommand: { _ in "" })
            do { _ = try resolver.loadFile(paths: DarkroomPaths(environment: ["HOME": "/home/u"])); return nil } catch { return error.description }
        }
        let file = "/home/u/.config/darkroom/config.toml"
        #expect(message("[styles.film]\nprompt = \"35mm film\"\n")
                == "the config file cannot be read: \(file): [styles.film] prompt has no {prompt}: write where your prompt goes, e.g. prompt = \"{prompt}, 35mm film\"")
        #expect(message("[styles.film]\nprompt = \"  \"\n")?.contains("[styles.film] prompt is empty") == true)
        #expect(message("[styles.\"my film\"]\nprompt = \"{prompt}\"\n")?.contains("\(file): the style name \"my film\" is not a simple word") == true)
        #expect(message("[styles.\"../x\"]\nprompt = \"{prompt}\"\n")?.contains("the style name \"../x\" is not a simple word") == true)
        #expect(message("[styles.film]\nprompt = \"{prompt}\"\nnegative = \"blur\"\n")?
            .contains("\(file): [styles.film] has an unknown key \"negative\"") == true)
        #expect(message("[styles.film]\npromt = \"{prompt}\"\n")?.contains("[styles.film] has an unknown key \"promt\"") == true)
        #expect(message("[styles.film]\n")?.contains("[styles.film] has no prompt") == true)
        #expect(message("[styles.film]\nprompt = 3\n")?.contains("[styles.film] prompt must be a string") == true)
        #expect(message("[styles.film]\nprompt = \"{prompt}\\u001b[31m\"\n")?.contains("[styles.film] prompt holds a control character (U+001B)") == true)
        #expect(message("styles = \"film\"\n")?.contains("styles must be a table of styles") == true)
        #expect(message("[styles]\nfilm = \"{prompt}, 35mm\"\n")?.contains("[styles.film] must be a table") == true)
    }

    @Test("an unknown style is said with the styles there are (and the nearest), or how to define one")
    func unknown() {
        let styles = ["film": film, "noir": noir]
        #expect(PromptStyle.unknown("flim", styles: styles, file: "/c/config.toml") == "no style \"flim\" in /c/config.toml; did you mean film? styles: film, noir")
        #expect(PromptStyle.unknown("x", styles: styles, file: "/c/config.toml") == "no style \"x\" in /c/config.toml; styles: film, noir")
        #expect(PromptStyle.unknown("film", styles: [:], file: "/c/config.toml")
                == "no style \"film\": /c/config.toml defines none; add one there:\n  [styles.film]\n  prompt = \"{prompt}, 35mm film, soft grain\"")
    }

    @Test("the wildcards folder is beside the config file")
    func paths() {
        #expect(DarkroomPaths(environment: ["HOME": "/home/u"]).wildcardsDirectory.path == "/home/u/.config/darkroom/wildcards")
        #expect(DarkroomPaths(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/c"]).wildcardsDirectory.path == "/c/darkroom/wildcards")
    }
}
