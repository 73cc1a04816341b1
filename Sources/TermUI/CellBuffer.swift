/// A grid of cells: what one frame of the screen shows. Panes render into it; the terminal backend
/// draws it; tests dump it as text and roles.
public struct CellBuffer: Hashable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank) {
        self.size = size
        self.cells = Array(repeating: fill, count: size.width * size.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x: x, y: y) ? cells[y * size.width + x] : .blank }
        set {
            guard contains(x: x, y: y) else { return }
            cells[y * size.width + x] = newValue
        }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < size.width && y < size.height }

    /// Fills an area with blanks of one role.
    public mutating func fill(_ area: Rect, role: Role, with character: Character = " ") {
        for y in max(0, area.y)..<min(size.height, area.maxY) {
            for x in max(0, area.x)..<min(size.width, area.maxX) { self[x, y] = Cell(character, role: role) }
        }
    }

    /// Writes text from (x, y), never past `limit` (an exclusive column, defaults to the buffer's
    /// width). Control characters are drawn as their pictures; a wide glyph that would not fit is
    /// replaced by a space. Returns the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role, limit: Int? = nil) -> Int {
        let end = min(limit ?? size.width, size.width)
        guard y >= 0, y < size.height else { return x }
        var column = x
        for original in text {
            guard column < end else { break }
            let character = Terminal.sanitized(original).character
            let width = DisplayWidth.of(character)
            if width == 2 {
                if column + 1 >= end {
                    if column >= 0 { self[column, y] = Cell(" ", role: role) }
                    column += 1
                    break
                }
                if column >= 0 {
                    self[column, y] = Cell(character, width: 2, role: role)
                    self[column + 1, y] = Cell(" ", width: 0, role: role)
                }
                column += 2
            } else {
                if column >= 0 { self[column, y] = Cell(character, role: role) }
                column += 1
            }
        }
        return column
    }

    /// Changes the role of every cell in an area, keeping the text (to highlight a selected row).
    public mutating func restyle(_ area: Rect, role: Role) {
        for y in max(0, area.y)..<min(size.height, area.maxY) {
            for x in max(0, area.x)..<min(size.width, area.maxX) { cells[y * size.width + x].role = role }
        }
    }

    /// The text layer, one line per row, continuation cells skipped.
    public var text: String {
        var lines: [String] = []
        for y in 0..<size.height {
            var line = ""
            for x in 0..<size.width {
                let cell = self[x, y]
                if !cell.isContinuation { line.append(cell.text) }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// One line of text (trailing spaces trimmed), for assertions.
    public func line(_ y: Int) -> String {
        var line = ""
        for x in 0..<size.width where !self[x, y].isContinuation { line.append(self[x, y].text) }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// The role layer: one letter per cell, with a legend of the roles used.
    public var roleDump: String {
        var letters: [Role: Character] = [:]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var lines: [String] = []
        for y in 0..<size.height {
            var line = ""
            for x in 0..<size.width {
                let role = self[x, y].role
                if letters[role] == nil { letters[role] = alphabet[min(letters.count, alphabet.count - 1)] }
                line.append(letters[role]!)
            }
            lines.append(line)
        }
        let legend = letters.sorted { $0.value < $1.value }.map { "\($0.value)=\($0.key)" }.joined(separator: " ")
        return lines.joined(separator: "\n") + "\nlegend: " + legend
    }
}
