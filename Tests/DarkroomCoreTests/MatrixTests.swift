import DarkroomCore
import Testing

/// One idea, many ways: prompt alternatives and several values per field,
/// expanded to every request, with the family rules.
@Suite("Request matrices")
struct MatrixTests {
    @Test("alternatives make every combination in reading order; escapes and groups without | stay literal")
    func alternatives() throws {
        #expect(try PromptAlternatives.expand("a {red|blue|green} fox in {fog|snow}") == [
            "a red fox in fog", "a red fox in snow", "a blue fox in fog", "a blue fox in snow", "a green fox in fog", "a green fox in snow",
        ])
        #expect(PromptAlternatives.count("a {red|blue|green} fox in {fog|snow}") == 6)
        #expect(try PromptAlternatives.expand("a fox") == ["a fox"])
        #expect(try PromptAlternatives.expand(#"a \{red|blue\} fox"#) == ["a {red|blue} fox"])
        #expect(try PromptAlternatives.expand(#"a {red\|orange|blue} fox"#) == ["a red|orange fox", "a blue fox"])
        #expect(try PromptAlternatives.expand("style: {minimal} and {a|}") == ["style: {minimal} and a", "style: {minimal} and "])
        #expect(try PromptAlternatives.expand("a {lone brace") == ["a {lone brace"])
        #expect(try PromptAlternatives.expand(#"ends with \"#) == [#"ends with \"#])
        #expect(try PromptAlternatives.expand("一只{猫|狗} 🎨") == ["一只猫 🎨", "一只狗 🎨"])
    }

    @Test("an unclosed group or a nested one is an error naming where it is")
    func alternativeErrors() {
        #expect(throws: PromptAlternatives.Failure(message: "the group opened at character 3 has no closing } (\\{ is a brace)")) {
            try PromptAlternatives.expand("a {red|blue fox")
        }
        #expect(throws: PromptAlternatives.Failure(message: "a { inside the group opened at character 3: groups do not nest (\\{ is a brace)")) {
            try PromptAlternatives.expand("a {red|{blue|green}} fox")
        }
    }

    @Test("models times shapes times qualities: sizes and qualities to gpt-image-2, aspect ratios to NanoBanana")
    func axes() throws {
        let m = RequestMatrix(base: ImageRequest(model: "gpt-image-2", prompt: "a {red|blue} fox"),
                              models: ["gpt-image-2", "NanoBanana2-2K"], sizes: ["1024x1024", "1536x1024"],
                              aspectRatios: ["1:1", "16:9"], qualities: ["low", "high"])
        let e = try m.expand()
        // Per prompt: gpt-image-2 2 sizes x 2 qualities, NanoBanana2-2K 2 ratios.
        #expect(e.requests.count == 2 * (4 + 2))
        #expect(m.count == 12)
        let gpt = e.requests.filter { $0.model == "gpt-image-2" }
        #expect(gpt.allSatisfy { $0.aspectRatio == nil && $0.size != nil && $0.quality != nil })
        let nano = e.requests.filter { $0.model == "NanoBanana2-2K" }
        #expect(nano.allSatisfy { $0.size == nil && $0.quality == nil && $0.aspectRatio != nil })
        #expect(e.notes == ["NanoBanana2-2K takes no quality: low, high left out"])
        #expect(e.axes.map(\.name) == ["prompt", "model", "size", "aspect ratio", "quality"])
        // Every request is one the validator accepts.
        for r in e.requests { #expect((try? RequestValidator.validate(r).get()) != nil, "\(r)") }
    }

    @Test("a model that takes none of the chosen values gets the nearest by the family mapping, and a note says so")
    func familyMapping() throws {
        let ratios = try RequestMatrix(base: ImageRequest(model: "gpt-image-2", prompt: "x"), models: ["gpt-image-2"], aspectRatios: ["16:9", "1:1"]).expand()
        #expect(ratios.requests.map(\.size) == [FamilyMapping.gptSize(for: .r16x9, tier: nil).name, "1024x1024"])
        #expect(ratios.notes.first?.hasPrefix("gpt-image-2 takes no aspect ratio: 16:9 sent as ") == true)
        let sizes = try RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "x"), models: ["NanoBanana"], sizes: ["1536x1024", "1024x1024"]).expand()
        #expect(sizes.requests.map(\.aspectRatio) == ["3:2", "1:1"])
        #expect(sizes.notes == ["NanoBanana takes no size: 1536x1024 sent as 3:2", "NanoBanana takes no size: 1024x1024 sent as 1:1"])
    }

    @Test("identical requests are made once; nothing chosen is the base request; too many is refused before any is made")
    func edges() throws {
        let same = try RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "x"), models: ["NanoBanana"], sizes: ["1024x1024", "2048x2048"]).expand()
        #expect(same.requests.count == 1)   // both squares: 1:1 twice
        let plain = try RequestMatrix(base: ImageRequest(model: "gpt-image-2", prompt: "x", size: "1024x1024", quality: "low")).expand()
        #expect(plain.requests == [ImageRequest(model: "gpt-image-2", prompt: "x", size: "1024x1024", quality: "low")])
        #expect(plain.axes.isEmpty)
        let huge = RequestMatrix(base: ImageRequest(model: "gpt-image-2", prompt: "{a|b|c|d|e|f|g|h|i|j} {1|2|3|4|5}"),
                                 sizes: GPTImageSize.all.map(\.name))
        #expect(throws: RequestMatrix.Failure.tooMany(2400)) { try huge.expand() }
        #expect(throws: RequestMatrix.Failure.prompt("the group opened at character 1 has no closing } (\\{ is a brace)")) {
            try RequestMatrix(base: ImageRequest(model: "gpt-image-2", prompt: "{a|b")).expand()
        }
    }
}

@Suite("How a run's axes are described")
struct MatrixDescriptionTests {
    @Test("the counts multiply to the number of requests, sizes and ratios of two families are one thing, else commas")
    func describe() throws {
        // 2 prompts × (gpt-image-2 at 2 sizes, NanoBanana2-1K at their 2 ratios): 8, not 16.
        let mixed = try RequestMatrix(base: ImageRequest(model: "gpt-image-2", prompt: "a {red|blue} fox"), models: ["gpt-image-2", "NanoBanana2-1K"],
                                      sizes: ["1024x1024", "1536x1024"]).expand()
        #expect(mixed.requests.count == 8)
        #expect(RequestMatrix.describe(mixed.axes, requests: 8) == " (2 prompts × 2 models × 2 shapes)")
        // Qualities apply to gpt-image-2 only: 2 × 1 + 1 = 3 requests; no product claimed.
        let partial = try RequestMatrix(base: ImageRequest(model: "gpt-image-2", prompt: "x", size: "1024x1024"), models: ["gpt-image-2", "NanoBanana"],
                                        qualities: ["low", "high"]).expand()
        #expect(RequestMatrix.describe(partial.axes, requests: partial.requests.count) == " (2 models, 2 qualities)")
        #expect(RequestMatrix.describe([], requests: 1) == "")
    }
}
