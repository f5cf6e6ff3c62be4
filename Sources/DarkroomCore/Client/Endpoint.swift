import Foundation
import Synchronization

/// The name of an endpoint in history: its base URL, normalised, so that one
/// server is one endpoint however its URL was written. A task is known by
/// (endpoint, task id): two servers may hand out the same ids.
///
/// Normalising lower-cases the scheme and host, drops the default port (80 for
/// http, 443 for https), user info, query and fragment, trailing slashes and a
/// trailing `/v1` (the API's own prefix): `HTTPS://API.Example.com:443/v1/`
/// becomes `https://api.example.com`.
public enum Endpoint {
    public static func normalize(_ url: URL) -> String {
        normalize(url.absoluteString)
    }

    /// The normalised form of `raw`, or `raw` trimmed of trailing slashes when it
    /// is not an http(s) URL (histories written by older versions keep what they had).
    ///
    /// Remembered for the last few distinct strings: the history asks this for
    /// every answer it writes, and parsing the URL each time showed in profiles.
    public static func normalize(_ raw: String) -> String {
        if let known = remembered.withLock({ $0[raw] }) { return known }
        let normal = computeNormal(raw)
        remembered.withLock { map in
            if map.count >= 32 { map.removeAll() }
            map[raw] = normal
        }
        return normal
    }

    private static let remembered = Mutex<[String: String]>([:])

    private static func computeNormal(_ raw: String) -> String {
        guard var c = URLComponents(string: raw.trimmingCharacters(in: .whitespaces)),
              let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = c.host, !host.isEmpty
        else {
            var s = raw
            while s.hasSuffix("/") { s.removeLast() }
            return s
        }
        c.scheme = scheme
        c.host = host.lowercased()
        c.user = nil
        c.password = nil
        c.query = nil
        c.fragment = nil
        if (scheme == "http" && c.port == 80) || (scheme == "https" && c.port == 443) { c.port = nil }
        var path = c.path
        while path.hasSuffix("/") { path.removeLast() }
        if path.lowercased().hasSuffix("/v1") { path.removeLast(3) }
        while path.hasSuffix("/") { path.removeLast() }
        c.path = path
        return c.string ?? raw
    }
}
