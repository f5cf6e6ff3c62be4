import DarkroomCore
import Foundation
import Testing

@Suite("Mapping between NanoBanana aspect ratios and gpt-image-2 sizes")
struct FamilyMappingTests {
    static let tiers: [Tier?] = [nil] + Tier.allCases.map { $0 }

    @Test("every ratio at every tier: a size of the matching gpt-image-2 tier, and none of that tier is nearer in shape",
          arguments: AspectRatio.allCases)
    func everyRatioAndTier(_ ratio: AspectRatio) {
        for tier in Self.tiers {
            let size = FamilyMapping.gptSize(for: ratio, tier: tier)
            let gptTier = FamilyMapping.gptTier(for: tier)
            #expect(size.tier == gptTier, "\(ratio.rawValue) at \(tier?.rawValue ?? "base")")
            let d = abs(log(size.aspect / ratio.value))
            for other in GPTImageSize.all where other.tier == gptTier {
                #expect(abs(log(other.aspect / ratio.value)) >= d - 1e-9, "\(other.name) is nearer to \(ratio.rawValue) than \(size.name)")
            }
            // Where the tier has a size of exactly this ratio, that is the one chosen.
            if GPTImageSize.all.contains(where: { $0.tier == gptTier && $0.ratio == ratio.rawValue && !$0.approximate }) {
                #expect(size.ratio == ratio.rawValue && !size.approximate, "\(ratio.rawValue) at \(gptTier.rawValue) gave \(size.name)")
            }
        }
    }

    @Test("tiers: base and 0.5K go to 1K, 8K to 4K, the rest stay")
    func tiers() {
        #expect(FamilyMapping.gptTier(for: nil) == .k1)
        #expect(FamilyMapping.gptTier(for: .k05) == .k1)
        #expect(FamilyMapping.gptTier(for: .k1) == .k1)
        #expect(FamilyMapping.gptTier(for: .k2) == .k2)
        #expect(FamilyMapping.gptTier(for: .k4) == .k4)
        #expect(FamilyMapping.gptTier(for: .k8) == .k4)
    }

    @Test("known answers, ties going to the long side nearest the tier's 1024/2048/4096",
          arguments: [("1:1", Tier?.some(.k1), "1024x1024"), ("1:1", .k4, "2880x2880"), ("16:9", .k1, "1536x864"),
                      ("16:9", .k2, "2048x1152"), ("16:9", .k4, "3840x2160"), ("21:9", .k4, "3840x1648"), ("5:4", .k4, "3264x2448"),
                      ("9:16", .k05, "864x1536"), ("3:2", .k2, "2160x1440"), ("2:3", .k8, "2336x3504"), ("4:5", nil, "1024x1280")])
    func known(_ ratio: String, _ tier: Tier?, _ size: String) {
        #expect(FamilyMapping.gptSize(for: AspectRatio(rawValue: ratio)!, tier: tier).name == size)
    }

    @Test("every gpt-image-2 size maps to the nearest of the ten ratios; sizes of a listed ratio keep it")
    func everySize() {
        for size in GPTImageSize.all {
            let r = FamilyMapping.aspectRatio(for: size)
            for other in AspectRatio.allCases {
                #expect(abs(log(size.aspect / r.value)) <= abs(log(size.aspect / other.value)) + 1e-9, "\(size.name): \(other.rawValue) is nearer than \(r.rawValue)")
            }
            if let listed = AspectRatio(rawValue: size.ratio) { #expect(r == listed, "\(size.name)") }
        }
        #expect(FamilyMapping.aspectRatio(for: Catalog.size(named: "2048x1024")!) == .r16x9)
        #expect(FamilyMapping.aspectRatio(for: Catalog.size(named: "864x2016")!) == .r9x16)
    }

    @Test("a NanoBanana request becomes a valid gpt-image-2 request, prompt, n and references kept")
    func nanoToGPT() throws {
        let r = ImageRequest(model: "NanoBananaPro-2K", prompt: "a fox", aspectRatio: "16:9", n: 2)
        let m = try #require(FamilyMapping.toOtherFamily(r))
        #expect(m.request.model == "gpt-image-2" && m.request.size == "2048x1152" && m.request.aspectRatio == nil)
        #expect(m.request.quality == "medium" && m.request.n == 2 && m.request.prompt == "a fox")
        #expect(m.summary == "16:9 on NanoBananaPro-2K → 2048x1152 (16:9, 2K) on gpt-image-2")
        guard case .success = RequestValidator.validate(m.request) else { Issue.record("not valid"); return }
    }

    @Test("a gpt-image-2 request becomes NanoBanana 2 at the size's tier; webp becomes png, and says so")
    func gptToNano() throws {
        var r = ImageRequest(model: "gpt-image-2", prompt: "a fox", size: "3840x2160", n: 1)
        r.quality = "high"
        r.outputFormat = "webp"
        let m = try #require(FamilyMapping.toOtherFamily(r))
        #expect(m.request.model == "NanoBanana2-4K" && m.request.aspectRatio == "16:9" && m.request.size == nil && m.request.quality == nil)
        #expect(m.request.outputFormat == "png")
        #expect(m.summary == "3840x2160 (16:9, 4K) on gpt-image-2 → 16:9 on NanoBanana2-4K; webp → png (NanoBanana2-4K makes png or jpeg)")
        guard case .success = RequestValidator.validate(m.request) else { Issue.record("not valid"); return }
        #expect(FamilyMapping.toOtherFamily(r, nanoFamily: .nanoBananaPro)?.request.model == "NanoBananaPro-4K")
    }
}
