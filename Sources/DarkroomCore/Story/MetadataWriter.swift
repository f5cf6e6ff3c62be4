import Foundation

/// Writes a `PictureStory` into a copy of a picture, leaving the pixels'
/// bytes as they are. The originals in the results folder are never passed
/// here: their recorded SHA-256 (and any provenance the server signed into
/// them) stays valid; only copies that leave the history carry the story.
///
/// - PNG: a `parameters` text chunk (`tEXt`, or `iTXt` when the text is not
///   Latin-1), the XMP packet in an `iTXt` chunk keyed `XML:com.adobe.xmp`,
///   both after `IHDR`.
/// - JPEG: the XMP packet in an APP1 segment (`http://ns.adobe.com/xap/1.0/`)
///   after the JFIF/EXIF segments that lead the file.
/// - WebP: an `XMP ` chunk, the file made extended (`VP8X`, its XMP flag set)
///   when it was a simple one.
public enum MetadataWriter {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notRecognised(String)
        case tooLarge(Int)

        public var description: String {
            switch self {
            case let .notRecognised(why): return "the file is not a PNG, JPEG or WebP darkroom can add to (\(why))"
            case let .tooLarge(n): return "the story is too long for a JPEG segment (\(n) bytes; 65,000 at most)"
            }
        }
    }

    /// The picture with the story in it.
    public static func embed(_ story: PictureStory, into bytes: [UInt8]) throws(Failure) -> [UInt8] {
        switch ImageSniffer.format(of: bytes) {
        case .png?: return try png(story, bytes)
        case .jpeg?: return try jpeg(story, bytes)
        case .webp?: return try webp(story, bytes)
        case nil: throw .notRecognised("its first bytes are not a PNG, JPEG or WebP signature")
        }
    }

    // MARK: PNG

    static func png(_ story: PictureStory, _ b: [UInt8]) throws(Failure) -> [UInt8] {
        // Signature (8) + IHDR (4 length + 4 type + 13 data + 4 CRC).
        guard b.count >= 33, Array(b[12..<16]) == Array("IHDR".utf8) else { throw .notRecognised("no IHDR chunk first") }
        let text = story.parametersText
        let latin1 = text.unicodeScalars.allSatisfy { $0.value < 256 && ($0.value >= 32 || $0 == "\n") }
        var chunks: [UInt8] = []
        chunks += latin1 ? pngChunk("tEXt", Array("parameters".utf8) + [0] + text.unicodeScalars.map { UInt8($0.value) })
                         : pngChunk("iTXt", iTXt(keyword: "parameters", text))
        chunks += pngChunk("iTXt", iTXt(keyword: "XML:com.adobe.xmp", story.xmp))
        return Array(b[0..<33]) + chunks + Array(b[33...])
    }

    /// iTXt data: keyword, NUL, no compression (0, 0), empty language and translated keyword, UTF-8 text.
    static func iTXt(keyword: String, _ text: String) -> [UInt8] {
        Array(keyword.utf8) + [0, 0, 0, 0, 0] + Array(text.utf8)
    }

    public static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let t = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + t + data + bigEndian(CRC32.checksum(t + data))
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    // MARK: JPEG

    static let xmpHeader = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]

    static func jpeg(_ story: PictureStory, _ b: [UInt8]) throws(Failure) -> [UInt8] {
        let payload = xmpHeader + Array(story.xmp.utf8)
        guard payload.count + 2 <= 65_000 else { throw .tooLarge(payload.count) }
        // After SOI and the APP0/APP1 segments that lead (JFIF, EXIF), before anything else.
        var at = 2
        while at + 4 <= b.count, b[at] == 0xFF, b[at + 1] == 0xE0 || b[at + 1] == 0xE1 {
            let len = Int(b[at + 2]) << 8 | Int(b[at + 3])
            guard len >= 2, at + 2 + len <= b.count else { throw .notRecognised("a segment runs past the end") }
            at += 2 + len
        }
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return Array(b[0..<at]) + segment + Array(b[at...])
    }

    // MARK: WebP

    static func webp(_ story: PictureStory, _ b: [UInt8]) throws(Failure) -> [UInt8] {
        guard b.count >= 20 else { throw .notRecognised("too short") }
        var chunks: [(type: String, data: [UInt8])] = []
        var at = 12
        while at + 8 <= b.count {
            let type = String(decoding: b[at..<at + 4], as: UTF8.self)
            let size = Int(littleEndian(b, at + 4))
            guard at + 8 + size <= b.count else { throw .notRecognised("the \(type) chunk runs past the end") }
            chunks.append((type, Array(b[(at + 8)..<(at + 8 + size)])))
            at += 8 + size + (size & 1)
        }
        chunks.removeAll { $0.type == "XMP " }
        if let i = chunks.firstIndex(where: { $0.type == "VP8X" }) {
            guard chunks[i].data.count >= 10 else { throw .notRecognised("a short VP8X chunk") }
            chunks[i].data[0] |= 0x04  // XMP
        } else {
            guard let image = chunks.first(where: { $0.type == "VP8 " || $0.type == "VP8L" }),
                  let (w, h, alpha) = dimensions(image.type, image.data) else { throw .notRecognised("no VP8 or VP8L image chunk") }
            var vp8x: [UInt8] = [0x04 | (alpha ? 0x10 : 0), 0, 0, 0]
            vp8x += [UInt8((w - 1) & 0xFF), UInt8((w - 1) >> 8 & 0xFF), UInt8((w - 1) >> 16 & 0xFF)]
            vp8x += [UInt8((h - 1) & 0xFF), UInt8((h - 1) >> 8 & 0xFF), UInt8((h - 1) >> 16 & 0xFF)]
            chunks.insert(("VP8X", vp8x), at: 0)
        }
        chunks.append(("XMP ", Array(story.xmp.utf8)))
        var body: [UInt8] = Array("WEBP".utf8)
        for c in chunks {
            body += Array(c.type.utf8) + littleEndianBytes(UInt32(c.data.count)) + c.data
            if c.data.count & 1 == 1 { body.append(0) }
        }
        return Array("RIFF".utf8) + littleEndianBytes(UInt32(body.count)) + body
    }

    /// Width, height and whether it has alpha, from a VP8 (lossy) or VP8L (lossless) bitstream.
    static func dimensions(_ type: String, _ d: [UInt8]) -> (Int, Int, Bool)? {
        if type == "VP8 ", d.count >= 10, d[3] == 0x9D, d[4] == 0x01, d[5] == 0x2A {
            return (Int(d[6]) | Int(d[7] & 0x3F) << 8, Int(d[8]) | Int(d[9] & 0x3F) << 8, false)
        }
        if type == "VP8L", d.count >= 5, d[0] == 0x2F {
            let bits = UInt32(d[1]) | UInt32(d[2]) << 8 | UInt32(d[3]) << 16 | UInt32(d[4]) << 24
            return (Int(bits & 0x3FFF) + 1, Int(bits >> 14 & 0x3FFF) + 1, bits >> 28 & 1 == 1)
        }
        return nil
    }

    static func littleEndian(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    static func littleEndianBytes(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
}

/// CRC-32 (ISO 3309, as PNG chunks use it).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
