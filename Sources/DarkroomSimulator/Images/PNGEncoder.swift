import CZlib

/// Encodes 8-bit RGB pixels as a PNG file (one IDAT, zlib-compressed, no filter).
public enum PNGEncoder {
    /// - Parameter rgb: `width * height * 3` bytes, rows top to bottom.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) -> [UInt8] {
        precondition(rgb.count == width * height * 3, "pixel buffer does not match the size")
        var raw = [UInt8]()
        raw.reserveCapacity((width * 3 + 1) * height)
        for y in 0..<height {
            raw.append(0) // filter: none
            raw.append(contentsOf: rgb[(y * width * 3)..<((y + 1) * width * 3)])
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var ihdr = [UInt8]()
        ihdr += be32(UInt32(width)) + be32(UInt32(height))
        ihdr += [8, 2, 0, 0, 0] // 8 bits, truecolour, deflate, no filter method, no interlace
        chunk("IHDR", ihdr, into: &out)
        chunk("IDAT", deflate(raw), into: &out)
        chunk("IEND", [], into: &out)
        return out
    }

    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var destLen = compressBound(uLong(data.count))
        var dest = [UInt8](repeating: 0, count: Int(destLen))
        let status = data.withUnsafeBufferPointer { src in
            compress2(&dest, &destLen, src.baseAddress, uLong(data.count), 6)
        }
        precondition(status == Z_OK, "zlib compress2 failed with \(status)")
        return Array(dest.prefix(Int(destLen)))
    }

    private static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        out += be32(UInt32(data.count))
        out += typeBytes
        out += data
        let crc = (typeBytes + data).withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        out += be32(UInt32(crc))
    }

    private static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}
