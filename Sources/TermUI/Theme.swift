/// A theme: semantic roles mapped to styles. Roles a theme leaves out come from the built-in
/// fallback; a role `a.b.c` not styled anywhere falls back to `a.b`, then `a`, then `base`.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var styles: [Role: Style]
    /// Problems that did not stop loading (an unknown role, say), with their line.
    public var warnings: [String]

    public init(name: String, styles: [Role: Style], warnings: [String] = []) {
        self.name = name
        self.styles = styles
        self.warnings = warnings
    }

    /// How a role looks under this theme, before colour-depth degradation.
    public func style(for role: Role) -> Style {
        var current: Role? = role
        while let r = current {
            if let style = styles[r] { return fillingColours(style) }
            current = r.parent
        }
        return styles[.base] ?? Style()
    }

    /// A style without colours takes the base colours, so `+bold` alone keeps the theme's palette.
    private func fillingColours(_ style: Style) -> Style {
        let base = styles[.base] ?? Style()
        return Style(foreground: style.foreground ?? base.foreground, background: style.background ?? base.background,
                     attributes: style.attributes)
    }

    /// This theme for a terminal: colours mapped to its depth; with no colour only attributes stay.
    public func resolved(depth: ColorDepth) -> ResolvedTheme {
        ResolvedTheme(theme: self, depth: depth)
    }

    /// The built-in theme every file theme is laid over, and what the console uses when a theme file
    /// is missing or broken. Eight ANSI colours, and an attribute on every role that matters without
    /// colour (selection, focus, rejection).
    public static let fallback: Theme = {
        let text = """
            name = "fallback"
            [roles]
            base = "default on default"
            pane.border = "default"
            pane.border.focused = "cyan +bold"
            pane.title = "default +bold"
            pane.title.focused = "cyan +bold +reverse"
            table.header = "default +underline"
            row.selected = "black on cyan +reverse"
            row.selected.unfocused = "default +reverse +dim"
            text.dim = "default +dim"
            trace.inbound = "green"
            trace.outbound = "blue +bold"
            trace.error = "red +bold"
            trace.engine = "default +dim"
            middleware.allow = "green"
            middleware.reject = "red +bold +reverse"
            toggle.on = "red +bold +reverse"
            toggle.off = "default +dim"
            input.valid = "green"
            input.invalid = "red +bold +underline"
            input.empty = "default +dim"
            status.bar = "black on white +reverse"
            status.key = "black on white +bold +reverse"
            status.error = "white on red +bold"
            status.ok = "black on green"
            overlay = "default on default"
            overlay.key = "cyan +bold"
            explain.raw = "yellow"
            explain.meaning = "default +dim"
            tab = "default +dim"
            tab.active = "default +bold +reverse"
            lesson.mark = "yellow +bold +underline"
            """
        // The fallback is part of the program: it parses, or nothing else would.
        return try! ThemeParser.parse(text, file: "<built-in>", base: nil)
    }()
}

/// A theme fitted to one terminal: every role's style already degraded.
public struct ResolvedTheme: Sendable {
    public let theme: Theme
    public let depth: ColorDepth

    public func style(for role: Role) -> Style {
        var style = theme.style(for: role).degraded(to: depth)
        // Without colour, a role that must stand out borrows the fallback theme's attributes.
        if depth == .none, style.attributes.isEmpty, Role.mustStandOut.contains(role) {
            style.attributes = Theme.fallback.style(for: role).attributes
        }
        return style
    }
}
