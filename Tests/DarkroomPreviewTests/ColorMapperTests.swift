import DarkroomPreview
import Testing

@Suite("Colour mapping for 256, 16 and 8 colours")
struct ColorMapperTests {
    @Test("the 256-colour palette: pure colours land on the cube's corners, greys on the ramp",
          arguments: [(RGB(255, 0, 0), 196), (RGB(0, 255, 0), 46), (RGB(0, 0, 255), 21), (RGB(0, 0, 0), 16),
                      (RGB(255, 255, 255), 231), (RGB(128, 128, 128), 244), (RGB(8, 8, 8), 232), (RGB(238, 238, 238), 255),
                      (RGB(95, 135, 175), 67)])
    func nearest256(_ c: RGB, _ index: Int) {
        #expect(Int(ColorMapper.nearest256(c)) == index)
    }

    @Test("every palette entry maps back to itself (16...255)")
    func roundTrip() {
        for i in 16...255 {
            let c = ColorMapper.rgb(ofPalette: UInt8(i))
            #expect(ColorMapper.rgb(ofPalette: ColorMapper.nearest256(c)) == c, "entry \(i)")
        }
    }

    @Test("16 colours: a 13-step grey ramp from black through dark grey and light grey to white")
    func ramp16() {
        let r = ColorMapper.ramp(for: .palette16)
        #expect(r.count == 13)
        #expect(r.first == ColorMapper.Shade(glyph: " ", fg: 0, bg: 0))
        #expect(r.last == ColorMapper.Shade(glyph: " ", fg: 15, bg: 15))
        #expect(Set(r.flatMap { [$0.fg, $0.bg] }) == [0, 8, 7, 15])
        #expect(ColorMapper.shade(top: RGB(0, 0, 0), bottom: RGB(0, 0, 0), depth: .palette16).bg == 0)
        #expect(ColorMapper.shade(top: RGB(255, 255, 255), bottom: RGB(255, 255, 255), depth: .palette16) == r.last)
    }

    @Test("8 colours: black and light grey with shades between")
    func ramp8() {
        let r = ColorMapper.ramp(for: .palette8)
        #expect(r.map(\.glyph) == [" ", "░", "▒", "▓", " "])
        #expect(Set(r.flatMap { [$0.fg, $0.bg] }) == [0, 7])
        #expect(ColorMapper.shade(top: RGB(128, 128, 128), bottom: RGB(128, 128, 128), depth: .palette8).glyph == "▒")
    }

    @Test("luminance follows the eye: green is brighter than red, red than blue")
    func luminance() {
        #expect(ColorMapper.luminance(RGB(0, 255, 0)) > ColorMapper.luminance(RGB(255, 0, 0)))
        #expect(ColorMapper.luminance(RGB(255, 0, 0)) > ColorMapper.luminance(RGB(0, 0, 255)))
    }
}
