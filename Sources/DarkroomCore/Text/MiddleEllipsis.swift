/// Long paths and URLs cut in the middle, so the end (the file name) stays:
/// "/home/ana/…/renders/final.png". By display width; never splits a wide character.
public enum MiddleEllipsis {
    public static func cut(_ s: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(s) <= width { return s }
        guard width > 2 else { return DisplayWidth.truncate(s, to: width) }
        let chars = Array(s)
        // The end keeps the last path component if it can (up to two thirds), the start the rest.
        let last = chars.lastIndex(of: "/").map { chars.count - $0 } ?? 0
        var tailRoom = min(max((width - 1) / 2, min(last, (width - 1) * 2 / 3)), width - 2)
        tailRoom = max(1, tailRoom)
        var tail: [Character] = []
        var used = 0
        for c in chars.reversed() {
            let w = DisplayWidth.of(c)
            if used + w > tailRoom { break }
            tail.insert(c, at: 0)
            used += w
        }
        let headRoom = width - 1 - used
        var head = ""
        var headUsed = 0
        for c in chars {
            let w = DisplayWidth.of(c)
            if headUsed + w > headRoom { break }
            head.append(c)
            headUsed += w
        }
        return head + "…" + String(tail)
    }
}
