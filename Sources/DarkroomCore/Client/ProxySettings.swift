import Foundation

/// Which HTTP proxy, if any, a request goes through: the one chosen with
/// `--proxy` or a profile's `proxy`, else the usual environment variables.
///
/// - `--proxy`/`proxy` wins over the environment; `none` there means "no proxy
///   at all", whatever the environment says.
/// - From the environment: `https_proxy`/`HTTPS_PROXY` for https URLs,
///   `http_proxy`/`HTTP_PROXY` for http URLs, then `all_proxy`/`ALL_PROXY`
///   (lower case first, as curl and wget read them). `no_proxy`/`NO_PROXY` lists
///   hosts reached directly: `*` for all, a name for itself and its subdomains
///   (`example.com` and `.example.com` both match `api.example.com`), an IP for
///   itself; a `:port` on an entry is ignored.
/// - A proxy from the environment is never used for this machine (`localhost`,
///   `127.0.0.0/8`, `::1`), as Go's net/http decides: the demo's simulator and
///   a gateway on loopback keep working in a shell that sets a company proxy.
///   A proxy given with `--proxy` is used for every host, loopback too.
///
/// A proxy URL may hold a user name and password (`http://user:pw@host:3128`);
/// `redacted` is the text to show.
public struct ProxySettings: Sendable, Equatable {
    /// `--proxy` or a profile's `proxy`; nil when neither is set.
    public var explicit: String?
    public var httpProxy: String?
    public var httpsProxy: String?
    public var allProxy: String?
    public var noProxy: [String]

    /// No proxy for anything.
    public static let none = ProxySettings(explicit: "none")

    public init(explicit: String? = nil, httpProxy: String? = nil, httpsProxy: String? = nil, allProxy: String? = nil,
                noProxy: [String] = []) {
        self.explicit = explicit
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.allProxy = allProxy
        self.noProxy = noProxy
    }

    /// The proxies the environment names (empty values count as unset), with `explicit` on top.
    public static func from(environment env: [String: String], explicit: String? = nil) -> ProxySettings {
        func first(_ names: String...) -> String? {
            names.lazy.compactMap { env[$0]?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        }
        let list = first("no_proxy", "NO_PROXY") ?? ""
        let explicit = explicit?.trimmingCharacters(in: .whitespaces)
        return ProxySettings(explicit: explicit?.isEmpty == true ? nil : explicit,
                             httpProxy: first("http_proxy", "HTTP_PROXY"), httpsProxy: first("https_proxy", "HTTPS_PROXY"),
                             allProxy: first("all_proxy", "ALL_PROXY"),
                             noProxy: list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                                .filter { !$0.isEmpty })
    }

    /// The process's own environment.
    public static var fromProcessEnvironment: ProxySettings { from(environment: ProcessInfo.processInfo.environment) }

    /// The proxy URL for a request to `url`, or nil to connect directly.
    public func proxy(for url: URL) -> String? {
        if let explicit { return explicit.lowercased() == "none" ? nil : explicit }
        // No proxy anywhere (most machines): nothing to look at, on every request.
        if httpProxy == nil, httpsProxy == nil, allProxy == nil { return nil }
        let host = (url.host ?? "").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if ConfigResolver.isLoopback(host) || bypasses(host) { return nil }
        switch url.scheme?.lowercased() {
        case "https": return httpsProxy ?? allProxy
        case "http": return httpProxy ?? allProxy
        default: return nil
        }
    }

    /// Whether `no_proxy` sends `host` straight to it.
    func bypasses(_ host: String) -> Bool {
        noProxy.contains { entry in
            if entry == "*" { return true }
            var name = entry
            if let colon = name.lastIndex(of: ":"), !name.contains("]"), name.filter({ $0 == ":" }).count == 1 {
                name = String(name[..<colon])
            }
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            while name.hasPrefix(".") { name.removeFirst() }
            return !name.isEmpty && (host == name || host.hasSuffix("." + name))
        }
    }

    /// A proxy URL fit to show: its password replaced by `***`.
    public static func redacted(_ proxy: String) -> String {
        guard var parts = URLComponents(string: proxy), parts.password != nil else { return TerminalSanitizer.clean(proxy) }
        parts.password = "***"
        return TerminalSanitizer.clean(parts.string ?? proxy)
    }
}
