import DarkroomTUI

/// What the backend read: a character, or a key ncurses recognised (already
/// mapped by the backend, nil when darkroom has no use for it), or a resize.
enum KeyInput: Equatable {
    case character(UInt32)
    case key(Key?)
    case resize
}

/// Turns what the backend reads into key and paste events: control characters,
/// Alt (Esc + key), and bracketed paste (`Esc [200~ … Esc [201~`), which
/// arrives as one event and is never read as commands. No ncurses here.
struct KeyDecoder {
    private var pending: [UInt32] = []
    private var pasting = false
    private var pasteBuffer = ""
    var resized = false

    static let pasteStart: [UInt32] = [27, 91, 50, 48, 48, 126] // Esc [ 2 0 0 ~
    static let pasteEnd: [UInt32] = [27, 91, 50, 48, 49, 126]

    mutating func feed(_ input: KeyInput) -> [Event] {
        let v: UInt32
        switch input {
        case .resize:
            resized = true
            return []
        case let .key(k):
            if pasting { return [] }
            return flush() + [k.map { .key($0) }].compactMap { $0 }
        case let .character(c):
            v = c
        }
        if pasting {
            pending.append(v)
            if pending.suffix(6) == Self.pasteEnd[...] {
                pending.removeLast(6)
                pasteBuffer += String(String.UnicodeScalarView(pending.compactMap(Unicode.Scalar.init)))
                pending.removeAll()
                pasting = false
                let text = pasteBuffer
                pasteBuffer = ""
                return [.paste(text)]
            }
            if pending.count > 4096 {
                pasteBuffer += String(String.UnicodeScalarView(pending.dropLast(6).compactMap(Unicode.Scalar.init)))
                pending = Array(pending.suffix(6))
            }
            return []
        }
        if v == 27 || !pending.isEmpty {
            pending.append(v)
            if pending == Self.pasteStart {
                pending.removeAll()
                pasting = true
                return []
            }
            if Self.pasteStart.starts(with: pending) { return [] }
            return flush()
        }
        return [plain(v)].compactMap { $0 }
    }

    /// Resolves an Esc sequence that did not become a paste: Esc alone, or Alt+key.
    mutating func flush() -> [Event] {
        guard !pending.isEmpty, !pasting else { return [] }
        let seq = pending
        pending.removeAll()
        if seq == [27] { return [.key(.escape)] }
        if seq.count == 2, seq[0] == 27, let s = Unicode.Scalar(seq[1]) { return [.key(.alt(Character(s)))] }
        // An unknown escape sequence: drop it rather than type it.
        return []
    }

    private func plain(_ v: UInt32) -> Event? {
        switch v {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 0: return nil
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(v + 96)!)))
        case 28...31: return nil
        default:
            guard let s = Unicode.Scalar(v) else { return nil }
            return .key(.char(Character(s)))
        }
    }
}
