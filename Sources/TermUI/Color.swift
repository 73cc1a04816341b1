/// A colour as a theme names it. `terminal` is the terminal's own colour (transparent backgrounds
/// survive); `ansi` are the 16 named colours; `indexed` the xterm 256 palette; `rgb` a hex colour.
public enum Color: Hashable, Sendable {
    case terminal
    case ansi(Int)
    case indexed(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, an ANSI name (`red`, `bright-blue`), `0`–`255` or `#rrggbb`.
    public init?(token: String) {
        let t = token.lowercased()
        if t == "default" { self = .terminal; return }
        if let i = Self.ansiNames.firstIndex(of: t) { self = .ansi(i); return }
        if t.hasPrefix("bright-"), let i = Self.ansiNames.firstIndex(of: String(t.dropFirst(7))) { self = .ansi(i + 8); return }
        if let n = Int(t), (0...255).contains(n) { self = n < 16 ? .ansi(n) : .indexed(n); return }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
            return
        }
        return nil
    }

    /// The closest colour a terminal of this depth can show.
    public func degraded(to depth: ColorDepth) -> Color {
        switch (self, depth) {
        case (_, .none): return .terminal
        case (.terminal, _): return .terminal
        case (.ansi(let n), .c8): return .ansi(n % 8)
        case (.ansi, _): return self
        case (.indexed(let n), .c256), (.indexed(let n), .truecolor): return .indexed(n)
        case (.indexed(let n), _): return Color.rgb(Self.rgbOf(index: n)).degraded(to: depth)
        case (.rgb, .truecolor): return self
        case (.rgb(let r, let g, let b), .c256): return .indexed(Self.nearest256(r, g, b))
        case (.rgb(let r, let g, let b), .c16): return .ansi(Self.ansi(r, g, b, bright: true))
        case (.rgb(let r, let g, let b), .c8): return .ansi(Self.ansi(r, g, b, bright: false))
        }
    }

    private static func rgb(_ c: (UInt8, UInt8, UInt8)) -> Color { .rgb(c.0, c.1, c.2) }

    /// The xterm palette: 16 system colours, a 6×6×6 cube, 24 greys.
    static func rgbOf(index n: Int) -> (UInt8, UInt8, UInt8) {
        let system: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if n < 16 { return system[max(0, n)] }
        if n < 232 {
            let i = n - 16
            let level: (Int) -> UInt8 = { $0 == 0 ? 0 : UInt8(55 + 40 * $0) }
            return (level(i / 36), level((i / 6) % 6), level(i % 6))
        }
        let grey = UInt8(8 + 10 * (n - 232))
        return (grey, grey, grey)
    }

    /// The ANSI colour of the same hue: distance in RGB would turn a muted green into grey, so
    /// colourful values keep their hue sector (red, yellow, green, cyan, blue, magenta) and greys
    /// go by lightness. With `bright`, the 16-colour set's bright variants are used too.
    static func ansi(_ r: UInt8, _ g: UInt8, _ b: UInt8, bright: Bool) -> Int {
        let (rf, gf, bf) = (Double(r), Double(g), Double(b))
        let high = max(rf, gf, bf), low = min(rf, gf, bf)
        let lightness = (high + low) / 2
        if high - low < 40 {
            if !bright { return lightness < 96 ? 0 : 7 }
            return lightness < 48 ? 0 : lightness < 128 ? 8 : lightness < 200 ? 7 : 15
        }
        var hue: Double
        if high == rf { hue = 60 * ((gf - bf) / (high - low)) }
        else if high == gf { hue = 60 * ((bf - rf) / (high - low)) + 120 }
        else { hue = 60 * ((rf - gf) / (high - low)) + 240 }
        if hue < 0 { hue += 360 }
        // ANSI order: 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan.
        let sectors = [1, 3, 2, 6, 4, 5]
        let base = sectors[Int(((hue + 30).truncatingRemainder(dividingBy: 360)) / 60)]
        return bright && (high >= 230 || lightness > 170) ? base + 8 : base
    }

    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        nearest(r, g, b, in: 16..<256)
    }

    static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, in range: Range<Int>) -> Int {
        var best = range.lowerBound
        var bestDistance = Int.max
        for n in range {
            let c = rgbOf(index: n)
            let dr = Int(c.0) - Int(r), dg = Int(c.1) - Int(g), db = Int(c.2) - Int(b)
            let d = 2 * dr * dr + 4 * dg * dg + 3 * db * db
            if d < bestDistance { bestDistance = d; best = n }
        }
        return best
    }
}

/// How many colours the terminal shows. `none` means attributes only (NO_COLOR, TERM=dumb).
public enum ColorDepth: String, Sendable, CaseIterable, Comparable {
    case none, c8 = "8", c16 = "16", c256 = "256", truecolor

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rank < b.rank }

    /// The tcell-style ladder: NO_COLOR (non-empty) or TERM=dumb → none; COLORTERM truecolor/24bit →
    /// truecolor; TERM suffixes -256color, -16color; anything with "color", xterm, screen, tmux → 8 at least.
    /// `colors` is what ncurses reported, when known; the answer never exceeds it.
    public static func detect(environment: [String: String], colors: Int?) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" { return .none }
        var depth: ColorDepth
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        if colorterm == "truecolor" || colorterm == "24bit" || term.hasSuffix("-direct") { depth = .truecolor }
        else if term.contains("256color") { depth = .c256 }
        else if term.contains("16color") { depth = .c16 }
        else if term.contains("color") || term.hasPrefix("xterm") || term.hasPrefix("screen") || term.hasPrefix("tmux")
                    || term.hasPrefix("linux") || term.hasPrefix("rxvt") { depth = .c8 }
        else { depth = .none }
        if let colors {
            let cap: ColorDepth = colors >= 16_777_216 ? .truecolor : colors >= 256 ? .c256 : colors >= 16 ? .c16 : colors >= 8 ? .c8 : .none
            // ncurses cannot draw truecolor through classic pairs: 256 is the most it gives us.
            depth = min(depth, min(cap, .c256))
            if depth == .truecolor { depth = .c256 }
        }
        return depth
    }
}
