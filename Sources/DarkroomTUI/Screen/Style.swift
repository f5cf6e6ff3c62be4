/// A terminal colour: the terminal's default, one of the 8 basic colours, a
/// bright one, an entry of the 256-colour palette, or a true colour (image
/// previews only; the backend maps it to the nearest colour the terminal has).
public enum Color: Hashable, Sendable {
    case `default`
    case basic(UInt8)      // 0...7: black, red, green, yellow, blue, magenta, cyan, white
    case bright(UInt8)     // 0...7, the bright variants
    case palette(UInt8)    // 0...255
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.basic(0), red = Color.basic(1), green = Color.basic(2), yellow = Color.basic(3)
    public static let blue = Color.basic(4), magenta = Color.basic(5), cyan = Color.basic(6), white = Color.basic(7)
    public static let gray = Color.bright(0)
}

/// How a cell looks. Views pick styles from `Theme`, never raw colours.
public struct Style: Hashable, Sendable {
    public var fg: Color = .default
    public var bg: Color = .default
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(fg: Color = .default, bg: Color = .default, bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()
}

/// The styles of the TUI, in one place.
public enum Theme {
    public static let border = Style(fg: .gray)
    public static let borderFocused = Style(fg: .cyan, bold: true)
    public static let title = Style(bold: true)
    public static let titleFocused = Style(fg: .cyan, bold: true)
    public static let hint = Style(dim: true)
    public static let label = Style(fg: .gray)
    public static let value = Style(bold: true)
    public static let error = Style(fg: .red, bold: true)
    public static let warning = Style(fg: .yellow)
    public static let ok = Style(fg: .green)
    public static let selected = Style(reverse: true)
    public static let statusBar = Style(fg: .black, bg: .white)
    public static let key = Style(fg: .cyan, bold: true)
    public static let progressDone = Style(fg: .green)
    public static let progressTodo = Style(fg: .gray)
    /// A starred task or picture's ★.
    public static let star = Style(fg: .yellow, bold: true)
}
