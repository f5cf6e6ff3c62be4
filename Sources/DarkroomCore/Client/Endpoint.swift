import Foundation

/// An API server as history knows it: its base URL, normalised once, so that
/// one server is one endpoint however its URL was written. A task is known by
/// (endpoint, task id): two servers may hand out the same ids.
///
/// Normalising lower-cases the scheme and host, drops the default port (80 for
/// http, 443 for https), user info, query and fragment, trailing slashes and a
/// trailing `/v1` (the API's own prefix): `HTTPS://API.Example.com:443/v1/`
/// becomes `https://api.example.com`. Text that is not an http(s) URL (written
/// by an older version) keeps what it had, trailing slashes trimmed.
///
/// Made once where a URL enters darkroom (the configuration, a client, a row
/// read from history) and passed on as it is.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The normalised base URL, as history stores it (`https://api.example.com`).
    public let text: String

    public init(_ url: URL) { text = Self.normalize(url.absoluteString) }

    public init(_ raw: String) { text = Self.normalize(raw) }

    public init(stringLiteral raw: String) { self.init(raw) }

    /// A value read from history, which holds endpoints normalised already
    /// (migration v2 normalised older rows): no second parse.
    public init(stored text: String) { self.text = text }

    public var description: String { text }

    /// The normalised form of `raw` (see the type's description).
    public static func normalize(_ raw: String) -> String {
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
