/// Reads an image's pixel size from its header (PNG, JPEG, WebP), without decoding it.
public enum ImageInfo {
    public static func dimensions(of b: [UInt8]) -> (width: Int, height: Int)? {
        switch ImageSniffer.format(of: b) {
        case .png?:
            guard b.count >= 24 else { return nil }
            return (be32(b, 16), be32(b, 20))
        case .jpeg?: return jpeg(b)
        case .webp?: return webp(b)
        case nil: return nil
        }
    }

    private static func be32(_ b: [UInt8], _ i: Int) -> Int {
        Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }

    private static func jpeg(_ b: [UInt8]) -> (Int, Int)? {
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            let len = Int(b[i + 2]) << 8 | Int(b[i + 3])
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                let h = Int(b[i + 5]) << 8 | Int(b[i + 6])
                let w = Int(b[i + 7]) << 8 | Int(b[i + 8])
                return (w, h)
            }
            guard len >= 2 else { return nil }
            i += 2 + len
        }
        return nil
    }

    private static func webp(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 30 else { return nil }
        let chunk = String(decoding: b[12..<16], as: UTF8.self)
        switch chunk {
        case "VP8 ":
            // Frame tag (3 bytes) and start code (3 bytes), then 14-bit width and height.
            let w = (Int(b[26]) | Int(b[27]) << 8) & 0x3FFF
            let h = (Int(b[28]) | Int(b[29]) << 8) & 0x3FFF
            return (w, h)
        case "VP8L":
            guard b[20] == 0x2F else { return nil }
            let bits = UInt32(b[21]) | UInt32(b[22]) << 8 | UInt32(b[23]) << 16 | UInt32(b[24]) << 24
            return (Int(bits & 0x3FFF) + 1, Int((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            let w = Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16
            let h = Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16
            return (w + 1, h + 1)
        default: return nil
        }
    }
}
