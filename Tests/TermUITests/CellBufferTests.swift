import Testing
@testable import TermUI

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("你", 2), ("好", 2), ("✓", 1), ("⛔", 2), ("😀", 2), ("ｱ", 1), ("Ａ", 2), ("─", 1),
    ] as [(Character, Int)])
    func widthOfCharacters(character: Character, width: Int) {
        #expect(DisplayWidth.of(character) == width)
    }

    @Test func combiningMarksAddNothing() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(DisplayWidth.of("☺\u{FE0F}" as Character) == 2, "VS16 asks for emoji presentation")
        #expect(DisplayWidth.of("你好 ok") == 7)
    }

    @Test func controlCharactersAreShownAsPictures() {
        #expect(Terminal.sanitized("\n").character == "\u{240A}")
        #expect(Terminal.sanitized("\u{1B}").character == "\u{241B}")
        #expect(Terminal.sanitized("\u{7F}").character == "\u{2421}")
        #expect(Terminal.sanitized("\u{9B}").character == "\u{FFFD}", "C1 CSI must never reach the terminal")
        #expect(Terminal.sanitized("x").replaced == false)
    }
}

@Suite struct CellBufferTests {
    @Test func wideGlyphsTakeTwoCellsAndDumpOnce() {
        var buffer = CellBuffer(size: Size(width: 6, height: 1))
        let end = buffer.put("a你b", x: 0, y: 0, role: .inbound)
        #expect(end == 4)
        #expect(buffer[1, 0].width == 2)
        #expect(buffer[2, 0].isContinuation)
        #expect(buffer.line(0) == "a你b")
        #expect(buffer.text == "a你b  ")
    }

    @Test func aWideGlyphThatDoesNotFitBecomesASpace() {
        var buffer = CellBuffer(size: Size(width: 4, height: 1))
        buffer.put("abc你", x: 0, y: 0, role: .base, limit: 4)
        #expect(buffer.text == "abc ")
        #expect(!buffer[3, 0].isContinuation)
    }

    @Test func writingStopsAtTheLimitAndOutsideIsIgnored() {
        var buffer = CellBuffer(size: Size(width: 5, height: 2))
        buffer.put("abcdefgh", x: 1, y: 0, role: .base, limit: 4)
        buffer.put("zzz", x: 0, y: 7, role: .base)
        buffer.put("xy", x: -1, y: 1, role: .base)
        #expect(buffer.text == " abc \ny    ")
    }

    @Test func controlCharactersInPayloadsCannotMoveTheCursor() {
        var buffer = CellBuffer(size: Size(width: 6, height: 1))
        buffer.put("a\nb\u{1B}[", x: 0, y: 0, role: .base)
        #expect(buffer.line(0) == "a␊b␛[")
    }

    @Test func roleDumpNamesEachRoleOnce() {
        var buffer = CellBuffer(size: Size(width: 4, height: 1))
        buffer.put("ab", x: 0, y: 0, role: .inbound)
        #expect(buffer.roleDump == "bbaa\nlegend: a=base b=trace.inbound" || buffer.roleDump == "aabb\nlegend: a=trace.inbound b=base")
    }

    @Test func restyleKeepsTheText() {
        var buffer = CellBuffer(size: Size(width: 3, height: 1))
        buffer.put("abc", x: 0, y: 0, role: .base)
        buffer.restyle(Rect(x: 1, y: 0, width: 5, height: 1), role: .rowSelected)
        #expect(buffer.text == "abc")
        #expect(buffer[0, 0].role == .base)
        #expect(buffer[2, 0].role == .rowSelected)
    }

    @Test func boxDrawsBorderTitleAndNote() {
        var buffer = CellBuffer(size: Size(width: 20, height: 3))
        let inner = Box(title: "1 Names", note: "3", focused: true).render(into: &buffer, area: buffer.bounds, glyphs: .unicode)
        #expect(inner == Rect(x: 1, y: 1, width: 18, height: 1))
        #expect(buffer.line(0) == "┌1 Names──────── 3 ┐")
        #expect(buffer.line(2) == "└──────────────────┘")
        #expect(buffer[0, 0].role == .paneBorderFocused)
        var ascii = CellBuffer(size: Size(width: 6, height: 2))
        Box(title: "x", focused: false).render(into: &ascii, area: ascii.bounds, glyphs: .ascii)
        #expect(ascii.text == "+x---+\n+----+")
    }

    @Test func tinyAreasNeverCrash() {
        var buffer = CellBuffer(size: Size(width: 3, height: 3))
        for w in -2...4 {
            for h in -2...4 {
                let inner = Box(title: "title", note: "note", focused: true)
                    .render(into: &buffer, area: Rect(x: 1, y: 1, width: w, height: h), glyphs: .unicode)
                #expect(inner.width >= 0 && inner.height >= 0)
            }
        }
        #expect(Rect(x: 0, y: 0, width: -5, height: 2).width == 0)
        #expect(Rect(x: 0, y: 0, width: 10, height: 1).splitColumns(leftWidth: 50).right.width == 0)
    }
}

@Suite struct TextLayoutTests {
    @Test func truncationCountsColumnsNotCharacters() {
        #expect(TextLayout.truncated("hello", to: 5) == "hello")
        #expect(TextLayout.truncated("hello world", to: 6) == "hello…")
        #expect(TextLayout.truncated("你好你好", to: 5) == "你好…")
        #expect(TextLayout.truncated("abc", to: 0) == "")
        #expect(TextLayout.padded("你", to: 4) == "你  ")
        #expect(TextLayout.rightAligned("7", to: 3) == "  7")
    }

    @Test func wrappingBreaksAtSpaces() {
        #expect(TextLayout.wrapped("the quick brown fox", to: 10) == ["the quick", "brown fox"])
        #expect(TextLayout.wrapped("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
        #expect(TextLayout.wrapped("", to: 4) == [""])
    }
}

@Suite struct KeyEventTests {
    @Test(arguments: ["j", "G", "<ctrl+c>", "<tab>", "<s-tab>", "<esc>", "<pgdn>", "<f1>", "<space>", "<enter>"])
    func notationRoundTrips(notation: String) throws {
        let key = try #require(KeyEvent(notation: notation))
        #expect(key.description == notation)
    }

    @Test func badNotationIsRefused() {
        #expect(KeyEvent(notation: "<nope>") == nil)
        #expect(KeyEvent(notation: "ab") == nil)
    }
}
