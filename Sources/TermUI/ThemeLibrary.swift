import Foundation

/// Finds and loads theme files: `themes/` next to the binary's package, in the working directory,
/// or under `$XDG_CONFIG_HOME/sioscope/themes`. A theme that fails to load is reported and left
/// out; the built-in fallback is always there.
public struct ThemeLibrary: Sendable {
    public private(set) var themes: [String: Theme] = ["fallback": .fallback]
    /// Theme names in the order `T` cycles through them: dark first, the fallback last.
    public private(set) var order: [String] = []
    /// Files that could not be used and warnings, each naming its file and line.
    public private(set) var problems: [String] = []

    public init() {}

    /// Where themes are looked for, first match of a file name wins.
    public static func directories(environment: [String: String]) -> [String] {
        DataDirectories.search(folder: "themes", variable: "SIOSCOPE_THEMES", environment: environment)
    }

    public static func load(environment: [String: String]) -> ThemeLibrary {
        load(directories: directories(environment: environment))
    }

    public static func load(directories: [String]) -> ThemeLibrary {
        var library = ThemeLibrary()
        var seen = Set<String>()
        for dir in directories {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for file in files.sorted() where file.hasSuffix(".theme") {
                let path = dir + "/" + file
                guard !seen.contains(file) else { continue }
                seen.insert(file)
                library.add(path: path)
            }
        }
        // The dark theme first: it is the default.
        library.order.sort { a, b in (a == "dark" ? 0 : 1, a) < (b == "dark" ? 0 : 1, b) }
        library.order.append("fallback")
        return library
    }

    /// Loads one file; returns the theme's name, or nil (with the problem recorded).
    @discardableResult
    public mutating func add(path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            problems.append("\(path): cannot read it as UTF-8")
            return nil
        }
        do {
            let theme = try ThemeParser.parse(text, file: path)
            themes[theme.name] = theme
            if !order.contains(theme.name) { order.insert(theme.name, at: max(0, order.count - (order.last == "fallback" ? 1 : 0))) }
            problems += theme.warnings
            return theme.name
        } catch {
            problems.append("\(error) (using the built-in theme instead)")
            return nil
        }
    }

    /// A theme by name, or a path to a theme file.
    public mutating func resolve(_ nameOrPath: String) -> String? {
        if themes[nameOrPath] != nil { return nameOrPath }
        guard nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") else { return nil }
        return add(path: nameOrPath)
    }
}
