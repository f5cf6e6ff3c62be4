@testable import DarkroomCore
import Testing

/// SHA-256 as saved results' checksums use it, on both paths: the CPU's SHA
/// instructions (when this machine has them) and the Swift rounds.
@Suite("SHA-256")
struct SHA256Tests {
    static let paths = [true, false]

    private func digest(_ bytes: [UInt8], hardware: Bool) -> String {
        var s = SHA256(hardware: hardware)
        s.update(bytes)
        return s.hexDigest
    }

    @Test("computes the standard vectors", arguments: paths)
    func vectors(hardware: Bool) {
        #expect(digest([], hardware: hardware) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest(Array("abc".utf8), hardware: hardware) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Two blocks once padded (FIPS 180-2's second vector).
        #expect(digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), hardware: hardware)
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(digest(Array(String(repeating: "a", count: 1_000).utf8), hardware: hardware)
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // A million "a" fed in uneven pieces, as a download arrives (FIPS 180-2's long vector).
        var s = SHA256(hardware: hardware)
        var left = 1_000_000
        var piece = 1
        while left > 0 {
            let n = min(left, piece)
            s.update([UInt8](repeating: 0x61, count: n))
            left -= n
            piece = piece * 3 % 997 + 1
        }
        #expect(s.hexDigest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("a collection without contiguous storage gives the same digest")
    func nonContiguous() {
        #expect(SHA256.hex(repeatElement(UInt8(0x61), count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test("the CPU's instructions and the Swift rounds agree on random bytes of every length up to 300, and on 1 MiB in random pieces")
    func pathsAgree() {
        var random = SeededRandom(seed: 42)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(digest(bytes, hardware: true) == digest(bytes, hardware: false), "length \(length)")
        }
        let big = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) }
        var fast = SHA256(hardware: true)
        // Where the CPU has the instructions (this project's machines do), this is the fast path.
        #expect(fast.usesHardware == SHA256.hardwareAvailable)
        var offset = 0
        while offset < big.count {
            let n = min(big.count - offset, Int.random(in: 1...70_000, using: &random))
            fast.update(big[offset..<offset + n])
            offset += n
        }
        #expect(fast.hexDigest == digest(big, hardware: false))
    }
}
