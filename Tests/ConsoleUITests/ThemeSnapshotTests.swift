import ConsoleModel
import ConsoleUI
import Foundation
import Testing
import TermUI

/// Each shipped theme applied to the roles a full screen uses, at every colour depth: what the
/// terminal will be asked to draw. A change to a theme file or to the degradation shows up here.
@Suite struct ThemeSnapshotTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes").path

    static var names: [String] { ThemeLibrary.load(directories: [themesDirectory]).order }

    @Test(arguments: names)
    func themeOnTheFullScreen(name: String) throws {
        let library = ThemeLibrary.load(directories: [Self.themesDirectory])
        #expect(library.problems.isEmpty, "\(library.problems)")
        let theme = try #require(library.themes[name])
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .beginInput(.emit))
        _ = Reducer.reduce(&state, .inputInsert("{"))
        let screen = Screen.render(state, size: Size(width: 120, height: 32), context: RenderContext()).buffer
        let used = Set(screen.cells.map(\.role)).sorted { $0.rawValue < $1.rawValue }
        var text = "theme \(name): the \(used.count) roles of a full screen, at each colour depth\n"
        for role in used {
            text += "\(role)\n"
            for depth in [ColorDepth.c256, .c16, .c8, .none] {
                text += "  \(depth.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)) \(describe(theme.resolved(depth: depth).style(for: role)))\n"
            }
        }
        try assertText(text, named: "theme-\(name)")
    }

    func describe(_ style: Style) -> String {
        func color(_ c: Color?) -> String {
            switch c {
            case nil, .terminal?: return "default"
            case .ansi(let n)?: return "ansi\(n)"
            case .indexed(let n)?: return "\(n)"
            case .rgb(let r, let g, let b)?: return "rgb(\(r),\(g),\(b))"
            }
        }
        let attributes = Attributes.names.filter { style.attributes.contains($0.1) }.map { "+" + $0.0 }
        return ([color(style.foreground), "on", color(style.background)] + attributes).joined(separator: " ")
    }
}

extension Attributes {
    static let names: [(String, Attributes)] = [("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse),
                                                ("italic", .italic)]
}
