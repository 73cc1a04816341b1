/// Line-drawing and symbol glyphs: Unicode when the terminal's locale is UTF-8, ASCII otherwise
/// (ncurses drops characters it cannot encode, so a wrong choice makes borders vanish).
public struct Glyphs: Hashable, Sendable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var inbound: String
    public var outbound: String
    public var check: String
    public var cross: String
    public var bullet: String
    public var expanded: String
    public var pointer: String
    public var ellipsis: String
    /// On an emit whose ack arrived, and on the ack pointing back at its emit.
    public var acked: String
    public var answers: String
    public var prompt: String

    public static let unicode = Glyphs(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
                                       bottomRight: "┘", inbound: "⇢", outbound: "⇠", check: "✓", cross: "✗",
                                       bullet: "●", expanded: "▾", pointer: "▶", ellipsis: "…",
                                       acked: "↪", answers: "↩", prompt: "›")
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
                                     bottomRight: "+", inbound: ">", outbound: "<", check: "+", cross: "x",
                                     bullet: "*", expanded: "v", pointer: ">", ellipsis: "~",
                                     acked: "->", answers: "<-", prompt: ">")
}
