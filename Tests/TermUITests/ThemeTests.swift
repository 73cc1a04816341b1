import Foundation
import Testing
@testable import TermUI

@Suite struct ColorTests {
    @Test(arguments: [
        ("default", Color.terminal), ("red", .ansi(1)), ("bright-blue", .ansi(12)), ("7", .ansi(7)), ("208", .indexed(208)),
        ("#ff8000", .rgb(255, 128, 0)),
    ] as [(String, Color)])
    func tokens(token: String, color: Color) {
        #expect(Color(token: token) == color)
    }

    @Test(arguments: ["#ff80", "256", "-1", "purple", "#gg0000", ""])
    func badTokens(token: String) {
        #expect(Color(token: token) == nil)
    }

    @Test func degradationLadder() {
        let orange = Color.rgb(255, 135, 0)
        #expect(orange.degraded(to: .truecolor) == orange)
        #expect(orange.degraded(to: .c256) == .indexed(208))
        #expect(Color.rgb(250, 10, 10).degraded(to: .c16) == .ansi(9))
        #expect(Color.rgb(200, 0, 0).degraded(to: .c8) == .ansi(1))
        #expect(Color.ansi(12).degraded(to: .c8) == .ansi(4))
        #expect(Color.indexed(196).degraded(to: .c16) == .ansi(9))
        let fern = Color.rgb(123, 179, 106)
        #expect(fern.degraded(to: .c16) == .ansi(2), "a muted green stays green, not grey")
        #expect(fern.degraded(to: .c8) == .ansi(2))
        #expect(Color.rgb(98, 166, 217).degraded(to: .c16) == .ansi(6))
        #expect(Color.rgb(227, 176, 75).degraded(to: .c16) == .ansi(3))
        #expect(Color.rgb(208, 214, 224).degraded(to: .c16) == .ansi(15), "a light grey is bright white")
        #expect(Color.rgb(74, 85, 104).degraded(to: .c16) == .ansi(8))
        #expect(Color.rgb(74, 85, 104).degraded(to: .c8) == .ansi(0))
        #expect(orange.degraded(to: .none) == .terminal)
    }

    @Test(arguments: [
        (["TERM": "xterm-256color"], 256, ColorDepth.c256),
        (["TERM": "xterm-256color", "COLORTERM": "truecolor"], 256, .c256),
        (["TERM": "screen"], 8, .c8),
        (["TERM": "xterm-256color", "NO_COLOR": "1"], 256, .none),
        (["TERM": "xterm-256color", "NO_COLOR": ""], 256, .c256),
        (["TERM": "dumb"], 8, .none),
        (["TERM": "xterm-16color"], 16, .c16),
        (["TERM": "xterm-256color"], 8, .c8),
    ] as [([String: String], Int, ColorDepth)])
    func depthDetection(environment: [String: String], colors: Int, depth: ColorDepth) {
        #expect(ColorDepth.detect(environment: environment, colors: colors) == depth)
    }
}

@Suite struct ThemeParserTests {
    @Test func partialThemeInheritsTheFallback() throws {
        let theme = try ThemeParser.parse("""
            # a comment
            name = "tiny"   # trailing comment
            [palette]
            hot = "#ff0000"
            [roles]
            trace.inbound = "hot on black +bold"
            """, file: "tiny.theme")
        #expect(theme.name == "tiny")
        #expect(theme.style(for: .inbound) == Style(foreground: .rgb(255, 0, 0), background: .ansi(0), attributes: .bold))
        #expect(theme.style(for: .rowSelected) == Theme.fallback.style(for: .rowSelected))
        #expect(theme.warnings.isEmpty)
    }

    @Test func rolesFallBackToTheirParents() throws {
        let theme = try ThemeParser.parse("name = \"p\"\n[roles]\ntrace = \"red\"\n", file: "p.theme", base: nil)
        #expect(theme.style(for: "trace.inbound.extra").foreground == .ansi(1))
        #expect(theme.style(for: "unrelated").foreground == nil)
    }

    @Test func unknownRolesAreWarningsNotErrors() throws {
        let theme = try ThemeParser.parse("name = \"w\"\n[roles]\nno.such.role = \"red\"\n", file: "w.theme")
        #expect(theme.warnings == ["w.theme:3: unknown role 'no.such.role'"])
    }

    @Test(arguments: [
        ("name = \"x\"\n[roles]\nrow.selected = \"purple\"\n", 3, 16, "'purple' is not a colour or palette name"),
        ("name = \"x\"\n[roles]\nrow.selected = red\n", 3, 16, "the value of 'row.selected' must be one double-quoted string"),
        ("name = \"x\"\n[colours]\n", 2, 2, "unknown section [colours]; a theme has [palette] and [roles]"),
        ("[roles]\nbase = \"red\"\n", 1, 1, "a theme needs `name = \"...\"`"),
        ("name = \"x\"\n[roles]\nbase = \"red +blink\"\n", 3, 8, "unknown attribute '+blink' (+bold, +dim, +underline, +reverse, +italic)"),
        ("name = \"x\"\n[roles]\nbase = \"red on\"\n", 3, 8, "'on' needs a background colour after it"),
        ("name = \"x\"\nthis line is wrong\n", 2, 1, "expected `key = \"value\"`"),
        ("name = \"x\"\n[palette]\nsea = \"#12\"\n", 3, 7, "'#12' is not a colour (#rrggbb, 0-255, an ANSI name or default)"),
    ] as [(String, Int, Int, String)])
    func brokenThemesNameFileLineAndColumn(text: String, line: Int, column: Int, message: String) {
        #expect(throws: ThemeError(file: "bad.theme", line: line, column: column, message: message)) {
            try ThemeParser.parse(text, file: "bad.theme")
        }
    }

    @Test func noColorKeepsAttributesOnRolesThatMustStandOut() {
        let resolved = Theme.fallback.resolved(depth: .none)
        for role in Role.all {
            let style = resolved.style(for: role)
            #expect(style.foreground == .terminal || style.foreground == nil, "\(role)")
            #expect(style.background == .terminal || style.background == nil, "\(role)")
        }
        for role in Role.mustStandOut { #expect(!resolved.style(for: role).attributes.isEmpty, "\(role)") }
    }
}

/// Every theme the repository ships loads without a warning and stays legible without colour.
@Suite struct ShippedThemesTests {
    static var themesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("themes")
    }

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: themesDirectory.path)) ?? []).filter { $0.hasSuffix(".theme") }.sorted()
    }

    @Test func atLeastTheFourThemesShip() {
        #expect(Set(Self.files).isSuperset(of: ["dark.theme", "light.theme", "high-contrast.theme", "mono.theme"]))
    }

    @Test(arguments: files)
    func loadsCleanly(file: String) throws {
        let path = Self.themesDirectory.appendingPathComponent(file).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let theme = try ThemeParser.parse(text, file: path)
        #expect(theme.warnings.isEmpty, "\(theme.warnings)")
        #expect(theme.name + ".theme" == file, "a theme's name matches its file, so :theme NAME finds it")
        for depth in ColorDepth.allCases {
            let resolved = theme.resolved(depth: depth)
            for role in Role.mustStandOut {
                let style = resolved.style(for: role)
                let visible = !style.attributes.isEmpty || (style.background != nil && style.background != .terminal)
                #expect(visible, "\(file) \(role) at \(depth) must stand out")
            }
        }
    }
}

@Suite struct ThemeLibraryTests {
    func directory(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir.path
    }

    @Test func aBrokenFileIsNamedWithItsLineAndTheRestLoads() throws {
        let dir = try directory([
            "dark.theme": "name = \"dark\"\n[roles]\nbase = \"red\"\n",
            "broken.theme": "name = \"broken\"\n[roles]\nrow.selected = \"chartreuse\"\n",
            "zebra.theme": "name = \"zebra\"\n",
            "notes.txt": "not a theme",
        ])
        let library = ThemeLibrary.load(directories: [dir])
        #expect(library.order == ["dark", "zebra", "fallback"])
        #expect(library.themes["broken"] == nil)
        #expect(library.problems == ["\(dir)/broken.theme:3:16: 'chartreuse' is not a colour or palette name (using the built-in theme instead)"])
        #expect(library.themes["dark"]?.style(for: .base).foreground == .ansi(1))
    }

    @Test func theFirstDirectoryWinsAndPathsWork() throws {
        let first = try directory(["a.theme": "name = \"a\"\n[roles]\nbase = \"green\"\n"])
        let second = try directory(["a.theme": "name = \"a\"\n[roles]\nbase = \"blue\"\n",
                                    "b.theme": "name = \"b\"\n"])
        var library = ThemeLibrary.load(directories: [first, second])
        #expect(library.themes["a"]?.style(for: .base).foreground == .ansi(2))
        #expect(library.resolve("b") == "b")
        #expect(library.resolve("nope") == nil)
        let extra = try directory(["mine.theme": "name = \"mine\"\n"])
        #expect(library.resolve(extra + "/mine.theme") == "mine")
        #expect(library.order.last == "fallback")
        #expect(library.resolve(extra + "/missing.theme") == nil)
        #expect(library.problems.last?.hasSuffix("missing.theme: cannot read it as UTF-8") == true)
    }
}
