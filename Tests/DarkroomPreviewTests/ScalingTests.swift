import DarkroomPreview
import Testing

@Suite("Filtered scaling and half-block fitting")
struct ScalingTests {
    @Test("shrinking averages areas: a 4x4 checkerboard becomes even grey, not black or white")
    func areaAverage() {
        let checker = Bitmap(width: 4, height: 4) { x, y in ((x + y) % 2 == 0 ? RGB(0, 0, 0) : RGB(255, 255, 255), 255) }
        let out = BitmapScaler.resize(checker, width: 2, height: 2)
        #expect(out == Array(repeating: RGB(128, 128, 128), count: 4))
    }

    @Test("fractional coverage: 3 pixels into 2 weighs the middle one half each way")
    func fractional() {
        let row = Bitmap(width: 3, height: 1) { x, _ in ([RGB(0, 0, 0), RGB(255, 255, 255), RGB(0, 0, 0)][x], 255) }
        #expect(BitmapScaler.resize(row, width: 2, height: 1) == [RGB(85, 85, 85), RGB(85, 85, 85)])
    }

    @Test("enlarging is bilinear: between black and white comes grey")
    func bilinear() {
        let row = Bitmap(width: 2, height: 1) { x, _ in (x == 0 ? RGB(0, 0, 0) : RGB(255, 255, 255), 255) }
        let out = BitmapScaler.resize(row, width: 4, height: 1)
        #expect(out[0] == RGB(0, 0, 0))
        #expect(out[1].r > 40 && out[1].r < 100)
        #expect(out[2].r > 150 && out[2].r < 220)
        #expect(out[3] == RGB(255, 255, 255))
    }

    @Test("transparent pixels show the background; half-transparent ones blend")
    func alpha() {
        let b = Bitmap(width: 2, height: 1) { x, _ in (RGB(255, 255, 255), x == 0 ? 0 : 128) }
        let out = BitmapScaler.resize(b, width: 2, height: 1, background: RGB(0, 0, 0))
        #expect(out[0] == RGB(0, 0, 0))
        #expect(out[1] == RGB(128, 128, 128))
    }

    @Test("fitting keeps the aspect ratio, with cells twice as tall as wide",
          arguments: [(1024, 1024, 40, 20, 40, 20), (1536, 1024, 40, 20, 40, 13), (1024, 1536, 40, 20, 27, 20),
                      (3840, 2160, 80, 40, 80, 23), (1, 1, 10, 10, 10, 5), (4000, 10, 20, 20, 20, 1)])
    func fit(_ w: Int, _ h: Int, _ cols: Int, _ rows: Int, _ ec: Int, _ er: Int) {
        let s = PreviewImage.fittedSize(width: w, height: h, columns: cols, rows: rows)
        #expect(s.columns == ec && s.rows == er)
    }

    @Test("each cell holds two stacked pixels: top and bottom halves of the quadrants")
    func halfBlocks() {
        let p = PreviewImage(fitting: Fixtures.quadrants, columns: 4, rows: 2)
        #expect(p.columns == 4 && p.rows == 2)
        #expect(p[0, 0].top == RGB(255, 0, 0) && p[0, 0].bottom == RGB(255, 0, 0))
        #expect(p[3, 0].top == RGB(0, 255, 0))
        #expect(p[0, 1].bottom == RGB(0, 0, 255))
        #expect(p[3, 1].bottom == RGB(255, 255, 255))
    }
}
