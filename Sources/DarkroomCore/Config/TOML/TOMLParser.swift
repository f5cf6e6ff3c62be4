/// A TOML 1.0 reader for darkroom's config file: the whole language (tables,
/// arrays of tables, dotted keys, inline tables, every string, integer, float
/// and date-time form, CRLF line ends), and the same verdict on every document
/// as Python's `tomllib`, whose algorithm it follows step by step (a
/// differential test feeds both the same documents).
///
/// Limits: integers must fit in 64 bits (`tomllib` accepts any size);
/// fractional seconds are kept to microseconds.
public enum TOMLParser {
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Parses a whole document into its root table.
    public static func parse(_ text: String) throws(ParseError) -> TOMLValue {
        var p = TOMLReader(text)
        return try p.document()
    }
}

// MARK: - The document tree while it is built

/// A table that later statements may still add to.
final class TOMLNest {
    var keys: [String] = []
    var items: [String: TOMLItem] = [:]

    subscript(key: String) -> TOMLItem? {
        get { items[key] }
        set {
            if items[key] == nil { keys.append(key) }
            items[key] = newValue
        }
    }

    func frozen() -> TOMLValue {
        .table(keys.map { k in
            switch items[k]! {
            case let .value(v): return (k, v)
            case let .nest(n): return (k, n.frozen())
            case let .nests(list): return (k, .array(list.map { $0.frozen() }))
            }
        })
    }
}

enum TOMLItem {
    case value(TOMLValue)
    case nest(TOMLNest)
    case nests([TOMLNest])
}

struct TOMLNotANest: Error {}

/// `tomllib`'s `NestedDict.get_or_create_nest`.
func nest(_ root: TOMLNest, _ key: [String], accessLists: Bool = true) throws(TOMLNotANest) -> TOMLNest {
    var cont = root
    for k in key {
        switch cont[k] {
        case nil:
            let n = TOMLNest()
            cont[k] = .nest(n)
            cont = n
        case let .nest(n)?: cont = n
        case let .nests(list)?:
            guard accessLists, let last = list.last else { throw TOMLNotANest() }
            cont = last
        case .value?: throw TOMLNotANest()
        }
    }
    return cont
}

/// `tomllib`'s `TOMLFlags`: which namespaces are frozen (inline tables and arrays)
/// and which were created explicitly (and so cannot be opened again).
final class TOMLFlags {
    static let frozen = 0
    static let explicitNest = 1

    final class Node {
        var flags: Set<Int> = []
        var recursive: Set<Int> = []
        var nested: [String: Node] = [:]
    }

    /// The document root: it has no flags of its own.
    private let root = Node()
    private var pending: [([String], Int)] = []

    func addPending(_ key: [String], _ flag: Int) { pending.append((key, flag)) }

    func finalizePending() {
        for (k, f) in pending { set(k, f, recursive: false) }
        pending.removeAll()
    }

    func unsetAll(_ key: [String]) {
        var cont = root
        for k in key.dropLast() {
            guard let n = cont.nested[k] else { return }
            cont = n
        }
        if let stem = key.last { cont.nested.removeValue(forKey: stem) }
    }

    func set(_ key: [String], _ flag: Int, recursive: Bool) {
        var node = root
        for k in key {
            if node.nested[k] == nil { node.nested[k] = Node() }
            node = node.nested[k]!
        }
        if recursive { node.recursive.insert(flag) } else { node.flags.insert(flag) }
    }

    func isSet(_ key: [String], _ flag: Int) -> Bool {
        guard let stem = key.last else { return false }
        var cont = root
        for k in key.dropLast() {
            guard let n = cont.nested[k] else { return false }
            if n.recursive.contains(flag) { return true }
            cont = n
        }
        guard let n = cont.nested[stem] else { return false }
        return n.flags.contains(flag) || n.recursive.contains(flag)
    }
}

// MARK: - The parser
