import Foundation

/// Where each profile's `GatewayFacts` live between runs:
/// `$XDG_CACHE_HOME/darkroom/gateway/PROFILE.json` (a cache: deleting it only
/// means the next start asks the server again). Written atomically; a file
/// that cannot be read, or is another server's or key's, is as good as none.
public struct GatewayCache: Sendable {
    public let folder: URL

    public init(cacheDirectory: URL) {
        folder = cacheDirectory.appendingPathComponent("gateway", isDirectory: true)
    }

    /// The file of a profile; any name is safe (bytes other than letters, digits,
    /// `-` and `_` are written as `%XX`).
    public func file(profile: String) -> URL {
        var name = ""
        for b in profile.utf8 {
            let plain = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
            name += plain ? String(UnicodeScalar(b)) : String(format: "%%%02X", b)
        }
        return folder.appendingPathComponent((name.isEmpty ? "%" : name) + ".json")
    }

    /// The facts kept for a profile, or empty facts.
    public func load(profile: String, endpoint: Endpoint, key: APIKey?) -> GatewayFacts {
        guard let data = FileManager.default.contents(atPath: file(profile: profile).path), data.count <= 32 << 20,
              let json = try? JSONParser.parse(Array(data)),
              let facts = GatewayFacts.read(json, endpoint: endpoint, key: key) else { return GatewayFacts() }
        return facts
    }

    /// Keeps a profile's facts (the folder is made when missing). Throws only on a disk error.
    public func save(_ facts: GatewayFacts, profile: String, endpoint: Endpoint, key: APIKey) throws {
        _ = try AtomicFile.makeFolder(folder)
        try AtomicFile.write(Array(facts.json(endpoint: endpoint, key: key).serialized().utf8), to: file(profile: profile), syncingFolder: false)
    }
}
