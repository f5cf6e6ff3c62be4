import DarkroomPreview
import DarkroomTUI
import Testing
@testable import DarkroomTerminal

@Suite("Colour pairs made on demand")
struct ColorPairsTests {
    final class Defined { var pairs: [(Int32, Int32, Int32)] = [] }

    @Test("a pair is made once per colour combination and reused")
    func reuse() {
        let log = Defined()
        var p = ColorPairs(depth: .palette256, colorPairs: 256) { log.pairs.append(($0, $1, $2)) }
        p.beginFrame()
        let a = p.pair(.rgb(255, 0, 0), .rgb(0, 0, 255))
        let b = p.pair(.rgb(255, 0, 0), .rgb(0, 0, 255))
        #expect(a == b && a == 1)
        #expect(log.pairs.count == 1)
        #expect(log.pairs[0] == (1, 196, 21), "true colours go to the nearest of 256")
        #expect(p.pair(.default, .default) == 0, "the terminal's own colours need no pair")
    }

    @Test("when pairs run out the least recently used one is redefined, never one of this frame, and a full redraw is asked for")
    func eviction() {
        let log = Defined()
        var p = ColorPairs(depth: .palette256, colorPairs: 4) { log.pairs.append(($0, $1, $2)) }   // pairs 1...3
        p.beginFrame()
        let theme = p.pair(.cyan, .default)
        _ = p.pair(.palette(20), .palette(21))
        p.beginFrame()
        _ = p.pair(.cyan, .default)               // the theme is used every frame
        _ = p.pair(.palette(30), .palette(31))    // pair 3, the last free one
        #expect(!p.evicted)
        let n = p.pair(.palette(40), .palette(41))
        #expect(n == 2, "pair 2 was least recently used")
        #expect(p.evicted)
        #expect(p.pair(.cyan, .default) == theme, "the theme kept its pair")
        // Every pair is in use in this frame: no pair rather than a wrong colour.
        #expect(p.pair(.palette(50), .palette(51)) == 0)
    }

    @Test("colour numbers for each depth: 256, direct (packed RGB), 16, 8 and none")
    func numbers() {
        #expect(ColorPairs(depth: .palette256, colorPairs: 1).number(.rgb(0, 0, 0)) == 16)
        #expect(ColorPairs(depth: .direct, colorPairs: 1).number(.rgb(1, 2, 3)) == 0x010203)
        #expect(ColorPairs(depth: .direct, colorPairs: 1).number(.palette(196)) == 0xFF0000)
        #expect(ColorPairs(depth: .palette16, colorPairs: 1).number(.bright(3)) == 11)
        #expect(ColorPairs(depth: .palette8, colorPairs: 1).number(.bright(3)) == 3)
        #expect(ColorPairs(depth: .palette16, colorPairs: 1).number(.rgb(255, 255, 255)) == 15)
        #expect(ColorPairs(depth: .palette8, colorPairs: 1).number(.palette(200)) == -1)
        #expect(ColorPairs(depth: .none, colorPairs: 1).number(.red) == -1)
    }
}
