/// One terminal cell: a grapheme, its width, and the role it is drawn with. A wide glyph occupies
/// its cell (width 2) and the next one, a continuation cell of width 0.
public struct Cell: Hashable, Sendable {
    public var text: Character
    public var width: UInt8
    public var role: Role

    public init(_ text: Character = " ", width: UInt8 = 1, role: Role = .base) {
        self.text = text
        self.width = width
        self.role = role
    }

    public static let blank = Cell()
    public var isContinuation: Bool { width == 0 }
}
