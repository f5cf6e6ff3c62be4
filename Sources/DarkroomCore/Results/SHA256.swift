import Crypto

/// SHA-256, for the checksum of saved results. Streaming: feed bytes with
/// `update`, then read `hexDigest`.
///
/// The hashing is swift-crypto's (BoringSSL on Linux, with the CPU's SHA
/// instructions where it has them); swift-crypto is in the build already,
/// through AsyncHTTPClient's certificate handling, so it costs no build time.
public struct SHA256: Sendable {
    private var hasher = Crypto.SHA256()

    public init() {}

    public mutating func update(_ bytes: some Collection<UInt8>) {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        hasher.update(data: Array(bytes))
    }

    /// The digest as 64 lowercase hex digits. Does not change the value.
    public var hexDigest: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in hasher.finalize() {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        var s = SHA256()
        s.update(bytes)
        return s.hexDigest
    }
}
