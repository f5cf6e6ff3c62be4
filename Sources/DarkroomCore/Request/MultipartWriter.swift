import Foundation

/// Writes a multipart/form-data body (RFC 7578) the way curl's `-F` does:
/// text parts, and file parts with a file name and content type.
public struct MultipartWriter: Sendable {
    public let boundary: String
    private var bytes: [UInt8] = []

    public init(boundary: String) { self.boundary = boundary }

    /// A boundary that cannot occur in a body by chance.
    public static func randomBoundary() -> String {
        "darkroom-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public mutating func addField(name: String, value: String) {
        append("--\(boundary)\r\n")
        append("Content-Disposition: form-data; name=\"\(escape(name))\"\r\n\r\n")
        append(value)
        append("\r\n")
    }

    public mutating func addFile(name: String, fileName: String, contentType: String, bytes file: [UInt8]) {
        append("--\(boundary)\r\n")
        append("Content-Disposition: form-data; name=\"\(escape(name))\"; filename=\"\(escape(fileName))\"\r\n")
        append("Content-Type: \(contentType)\r\n\r\n")
        bytes.append(contentsOf: file)
        append("\r\n")
    }

    public mutating func finish() -> [UInt8] {
        append("--\(boundary)--\r\n")
        return bytes
    }

    private mutating func append(_ s: String) { bytes.append(contentsOf: Array(s.utf8)) }

    /// Quotes and line breaks cannot appear in a quoted header value; curl percent-escapes them too.
    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }
}
