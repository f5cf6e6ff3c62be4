extension String {
    /// The text without leading and trailing spaces: tabs, Unicode space
    /// separators (category Zs: the space, no-break space, ideographic space...)
    /// and the zero-width space. Newlines stay. The same set as Foundation's
    /// `trimmingCharacters(in: .whitespaces)` on Linux (swift-corelibs-foundation
    /// counts U+200B in it), without the round trip through NSString that costs
    /// a poll answer several microseconds per field.
    public var trimmingSpaces: String {
        let scalars = unicodeScalars
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s == " " || s == "\t" || (s.value >= 0x80 && (s.value == 0x200B || s.properties.generalCategory == .spaceSeparator))
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
