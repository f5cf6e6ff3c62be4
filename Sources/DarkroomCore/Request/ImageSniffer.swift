/// Recognises image formats by their magic bytes, never by a file name or URL.
public enum ImageSniffer {
    /// The format of `bytes` (at least the first 12 are needed), or nil.
    public static func format(of bytes: some Collection<UInt8>) -> OutputFormat? {
        let b = Array(bytes.prefix(12))
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.count >= 12, b[0..<4] == [0x52, 0x49, 0x46, 0x46], b[8..<12] == [0x57, 0x45, 0x42, 0x50] { return .webp }
        return nil
    }
}
