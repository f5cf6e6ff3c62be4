import Foundation

/// Reads a multipart/form-data body into its parts. Strict enough to catch a
/// client that writes a malformed body; tests use it to check the client's bytes.
public enum MultipartParser {
    public struct Part: Sendable, Equatable {
        public let name: String
        public let fileName: String?
        public let contentType: String?
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The boundary parameter of a `multipart/form-data` content type.
    public static func boundary(fromContentType ct: String) -> String? {
        guard ct.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for param in ct.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    public static func parse(_ body: [UInt8], boundary: String) throws(Failure) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var positions: [Int] = []
        var i = 0
        while let p = find(delimiter, in: body, from: i) {
            positions.append(p)
            i = p + delimiter.count
        }
        guard positions.count >= 2 else { throw Failure(reason: "no multipart boundaries found") }
        var parts: [Part] = []
        for (k, start) in positions.enumerated().dropLast() {
            var s = start + delimiter.count
            guard s + 2 <= body.count, body[s] == 0x0D, body[s + 1] == 0x0A else { throw Failure(reason: "a boundary is not followed by CRLF") }
            s += 2
            var end = positions[k + 1]
            guard end >= s + 2, body[end - 2] == 0x0D, body[end - 1] == 0x0A else { throw Failure(reason: "a part does not end with CRLF") }
            end -= 2
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: s), headerEnd <= end else {
                throw Failure(reason: "a part has no header block")
            }
            let headerText = String(decoding: body[s..<headerEnd], as: UTF8.self)
            var name: String?
            var fileName: String?
            var contentType: String?
            for line in headerText.split(separator: "\r\n") {
                let kv = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2 else { continue }
                switch kv[0].lowercased() {
                case "content-disposition":
                    name = param("name", in: kv[1])
                    fileName = param("filename", in: kv[1])
                case "content-type": contentType = kv[1]
                default: break
                }
            }
            guard let name else { throw Failure(reason: "a part has no name") }
            parts.append(Part(name: name, fileName: fileName, contentType: contentType, body: Array(body[(headerEnd + 4)..<end])))
        }
        let last = positions[positions.count - 1] + delimiter.count
        guard last + 2 <= body.count, body[last] == 0x2D, body[last + 1] == 0x2D else {
            throw Failure(reason: "the closing boundary is missing")
        }
        return parts
    }

    private static func param(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == key {
                return kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"") && kv[1].count >= 2 ? String(kv[1].dropFirst().dropLast()) : kv[1]
            }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == first {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
