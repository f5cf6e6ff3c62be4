import Foundation

/// How pictures reach the terminal.
///
/// - `kitty`: the kitty graphics protocol with Unicode placeholders (kitty,
///   Ghostty, and through tmux): the picture is uploaded once, then shown by
///   ordinary characters that the cell grid draws, clips and erases.
/// - `cells`: half blocks in true colour (any terminal with 256 colours or more;
///   shades with 16 or 8).
/// - `none`: no pictures at all (a line of text says so).
///
/// - `iterm2`: iTerm2's inline images (iTerm2, WezTerm), outside tmux.
/// - `sixel`: sixel (foot, xterm, Windows Terminal, mlterm), outside tmux.
///
/// iTerm2 and sixel pictures are drawn over the cells after each frame and
/// drawn again whenever their cells change.
public enum GraphicsProtocol: String, Sendable, CaseIterable, Equatable {
    case kitty, iterm2, sixel, cells, none

    /// What the detail's preview line says.
    public var label: String {
        switch self {
        case .kitty: "kitty graphics"
        case .iterm2: "iTerm2 images"
        case .sixel: "sixel"
        case .cells: "cells"
        case .none: "no pictures"
        }
    }

    /// The format real pictures take in it (nil: cells or nothing).
    public var pictureFormat: PictureFormat? {
        switch self {
        case .kitty: .kitty
        case .iterm2: .iterm2
        case .sixel: .sixel
        case .cells, .none: nil
        }
    }

    /// Protocols that draw outside the cell grid (iTerm2, sixel): tmux does not pass them.
    public var drawsOutsideTheGrid: Bool { self == .iterm2 || self == .sixel }
}

/// What a real picture is encoded as: a PNG for kitty (uploaded once, shown by
/// placeholder cells) and iTerm2 (sent whole where it shows), or sixel.
public enum PictureFormat: String, Hashable, Sendable {
    case kitty, iterm2, sixel
}

/// The choice a user makes: detect, or force one protocol.
public enum GraphicsChoice: Equatable, Sendable {
    case auto
    case forced(GraphicsProtocol)

    /// Parses `auto|kitty|iterm2|sixel|cells|none` (case-insensitive); nil for anything else.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "auto" { self = .auto; return }
        guard let p = GraphicsProtocol(rawValue: t) else { return nil }
        self = .forced(p)
    }

    public static let accepted = "auto, kitty, iterm2, sixel, cells or none"
}

/// The size of one terminal cell in pixels (from `CSI 16 t`, the kernel's
/// window size, or a common default of 10x20).
public struct CellPixels: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = max(1, width)
        self.height = max(1, height)
    }
    public static let fallback = CellPixels(width: 10, height: 20)
}
