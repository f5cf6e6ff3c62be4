import Testing
@testable import DarkroomCore

@Suite("Catalog")
struct CatalogTests {
    @Test("lists the ten models of the page, in its order")
    func tenModels() {
        #expect(Catalog.models.map(\.id) == [
            "NanoBanana", "NanoBanana2-0.5K", "NanoBanana2-1K", "NanoBanana2-2K", "NanoBanana2-4K",
            "NanoBananaPro-1K", "NanoBananaPro-2K", "NanoBananaPro-4K", "NanoBananaPro-8K", "gpt-image-2",
        ])
    }

    @Test("offers webp only on base NanoBanana and gpt-image-2")
    func formats() {
        for m in Catalog.models {
            let webp = m.id == "NanoBanana" || m.id == "gpt-image-2"
            #expect(m.outputFormats == (webp ? [.png, .jpeg, .webp] : [.png, .jpeg]), "\(m.id)")
        }
        #expect(Catalog.outputFormats(of: "NanoBananaPro-8K") == [.png, .jpeg])
        #expect(Catalog.outputFormats(of: "nope") == nil)
    }

    @Test("gives aspect ratios to the NanoBanana families only, all ten")
    func ratios() {
        #expect(AspectRatio.allCases.map(\.rawValue) == ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"])
        for m in Catalog.models {
            #expect(m.aspectRatios == (m.family.isNanoBanana ? AspectRatio.allCases : []), "\(m.id)")
            #expect(m.maxN == 8)
        }
    }

    @Test("gives quality only to gpt-image-2, with medium as the default")
    func quality() {
        let gpt = Catalog.model("gpt-image-2")
        #expect(gpt?.qualities == [.low, .medium, .high])
        #expect(gpt?.defaultQuality == .medium)
        #expect(Catalog.model("NanoBanana2-1K")?.qualities == [])
    }

    @Test("holds the 48 gpt-image-2 sizes in the page's order with its oddities")
    func sizes() {
        let all = GPTImageSize.all
        #expect(all.count == 48)
        #expect(all.first?.name == "1024x768")
        #expect(all.last?.name == "2160x3840")
        #expect(Set(all.map(\.name)).count == 48)
        #expect(Catalog.size(named: "2048x2048")?.tier == .k4)
        #expect(Catalog.size(named: "2560x2048")?.tier == .k2)
        #expect(Catalog.size(named: "2048x2560")?.tier == .k2)
        #expect(all.filter(\.approximate).map(\.name) == ["2048x1360", "1360x2048", "3840x1648", "1648x3840"])
        #expect(Catalog.size(named: "864x2016")?.ratio == "9:21")
        #expect(Catalog.size(named: "1024x1024")?.orientation == .square)
        #expect(all.filter { $0.tier == .k1 }.count == 17)
        #expect(all.filter { $0.tier == .k2 }.count == 19)
        #expect(all.filter { $0.tier == .k4 }.count == 12)
        for s in all {
            let expected: Orientation = s.width == s.height ? .square : (s.width > s.height ? .landscape : .portrait)
            #expect(s.orientation == expected, "\(s.name)")
        }
    }

    @Test("answers which tiers a family has")
    func tiers() {
        #expect(Catalog.tiers(of: .nanoBanana) == [])
        #expect(Catalog.tiers(of: .nanoBanana2) == [.k05, .k1, .k2, .k4])
        #expect(Catalog.tiers(of: .nanoBananaPro) == [.k1, .k2, .k4, .k8])
        #expect(Catalog.tiers(of: .gptImage2) == [.k1, .k2, .k4])
    }

    @Test("answers which models make images of a tier")
    func modelsOfTier() {
        #expect(Catalog.models(ofTier: .k05).map(\.id) == ["NanoBanana2-0.5K"])
        #expect(Catalog.models(ofTier: .k4).map(\.id) == ["NanoBanana2-4K", "NanoBananaPro-4K", "gpt-image-2"])
        #expect(Catalog.models(ofTier: .k8).map(\.id) == ["NanoBananaPro-8K"])
    }

    @Test("filters gpt-image-2 sizes by tier and orientation")
    func sizeFilter() {
        #expect(Catalog.sizes(ofTier: .k4, orientation: .square).map(\.name) == ["2048x2048", "2880x2880"])
        #expect(Catalog.sizes(ofTier: .k1, orientation: .portrait).count == 8)
        #expect(Catalog.sizes().count == 48)
    }

    @Test("suggests a model for a name typed in the wrong case")
    func suggestion() {
        #expect(Catalog.model("gpt-IMAGE-2") == nil)
        #expect(Catalog.suggestion(for: "GPT-image-2")?.id == "gpt-image-2")
        #expect(Catalog.suggestion(for: "nanobananapro-8k")?.id == "NanoBananaPro-8K")
    }
}
