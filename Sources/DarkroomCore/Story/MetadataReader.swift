import Foundation

/// What a picture file says about how it was made (`darkroom recall`).
public enum PictureMetadata: Sendable, Equatable {
    /// darkroom's story (written by `MetadataWriter`).
    case darkroom(PictureStory)
    /// Another tool's generation text (a PNG `parameters` chunk, an XMP description), cleaned for the terminal.
    case other(String)
    /// A PNG, JPEG or WebP with nothing of the kind in it.
    case nothing(OutputFormat)
}

/// Reads `PictureMetadata` from a file's bytes: walks the chunks or segments
/// without decoding pixels, and never trusts a length field past the end.
public enum MetadataReader {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notPicture
        case damaged(String)

        public var description: String {
            switch self {
            case .notPicture: return "it is not a PNG, JPEG or WebP picture"
            case let .damaged(why): return "the picture is damaged: \(why)"
            }
        }
    }

    public static func read(_ b: [UInt8]) throws(Failure) -> PictureMetadata {
        guard let format = ImageSniffer.format(of: b) else { throw .notPicture }
        var xmp: String?
        var parameters: String?
        switch format {
        case .png:
            var at = 8
            while at + 12 <= b.count {
                let len = Int(MetadataWriter.bigEndianValue(b, at))
                let type = String(decoding: b[(at + 4)..<(at + 8)], as: UTF8.self)
                guard len >= 0, at + 12 + len <= b.count else { throw .damaged("the \(TerminalSanitizer.clean(type)) chunk runs past the end") }
                let data = Array(b[(at + 8)..<(at + 8 + len)])
                if type == "tEXt" || type == "iTXt", let nul = data.firstIndex(of: 0) {
                    let key = String(decoding: data[..<nul], as: UTF8.self)
                    var text: String?
                    if type == "tEXt" {
                        text = String(data[(nul + 1)...].map { Character(UnicodeScalar($0)) })
                    } else if data.count > nul + 1, data[nul + 1] == 0 {
                        // Uncompressed: flag, method, language NUL, translated keyword NUL, then the text.
                        var i = nul + 3
                        for _ in 0..<2 { while i < data.count, data[i] != 0 { i += 1 }; i += 1 }
                        text = String(decoding: data[min(i, data.count)...], as: UTF8.self)
                    }
                    if let text {
                        if key == "XML:com.adobe.xmp" { xmp = text } else if key == "parameters" { parameters = text }
                    }
                }
                if type == "IEND" { break }
                at += 12 + len
            }
        case .jpeg:
            var at = 2
            while at + 4 <= b.count, b[at] == 0xFF {
                let marker = b[at + 1]
                if marker == 0xDA || marker == 0xD9 { break }  // image data, or the end
                let len = Int(b[at + 2]) << 8 | Int(b[at + 3])
                guard len >= 2, at + 2 + len <= b.count else { throw .damaged("a segment runs past the end") }
                let data = b[(at + 4)..<(at + 2 + len)]
                if marker == 0xE1, data.starts(with: MetadataWriter.xmpHeader) {
                    xmp = String(decoding: data.dropFirst(MetadataWriter.xmpHeader.count), as: UTF8.self)
                }
                at += 2 + len
            }
        case .webp:
            var at = 12
            while at + 8 <= b.count {
                let type = String(decoding: b[at..<at + 4], as: UTF8.self)
                let size = Int(MetadataWriter.littleEndian(b, at + 4))
                guard at + 8 + size <= b.count else { throw .damaged("the \(TerminalSanitizer.clean(type)) chunk runs past the end") }
                if type == "XMP " { xmp = String(decoding: b[(at + 8)..<(at + 8 + size)], as: UTF8.self) }
                at += 8 + size + (size & 1)
            }
        }
        if let xmp, let story = PictureStory.from(xmp: xmp) { return .darkroom(story) }
        if let parameters, !parameters.isEmpty { return .other(TerminalSanitizer.clean(parameters, keepNewlines: true)) }
        if let xmp, let d = description(inXMP: xmp) { return .other(TerminalSanitizer.clean(d, keepNewlines: true)) }
        return .nothing(format)
    }

    /// The `dc:description` of an XMP packet, which other tools fill with the prompt.
    static func description(inXMP xmp: String) -> String? {
        guard let li = xmp.range(of: "<rdf:li"), let start = xmp.range(of: ">", range: li.upperBound..<xmp.endIndex),
              let end = xmp.range(of: "</rdf:li>", range: start.upperBound..<xmp.endIndex),
              xmp.range(of: "dc:description") != nil else { return nil }
        return MarkupEscape.unescape(String(xmp[start.upperBound..<end.lowerBound]))
    }
}

extension MetadataWriter {
    static func bigEndianValue(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}
