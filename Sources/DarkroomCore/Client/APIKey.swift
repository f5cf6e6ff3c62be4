import Foundation

/// An API key. Its description is always masked, so printing or logging the
/// value by mistake shows `sk-…1a2b`, never the key.
public struct APIKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let secret: String

    /// Trims surrounding whitespace and a trailing newline (as a key command prints it).
    public init?(_ raw: String) {
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty, !t.contains(where: { $0.isNewline }) else { return nil }
        secret = t
    }

    /// The key itself, for the `Authorization` header and nothing else.
    public func reveal() -> String { secret }

    /// The key masked: its first 3 characters and last 4 when it is long enough.
    public var masked: String {
        guard secret.count >= 12 else { return String(secret.prefix(3)) + "…" }
        return String(secret.prefix(3)) + "…" + String(secret.suffix(4))
    }

    public var description: String { masked }
    public var debugDescription: String { "APIKey(\(masked))" }
}
