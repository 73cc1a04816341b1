import CNcurses
import TermUI

/// Colour pairs allocated as styles need them (terminals may offer as few as 64), cached by
/// (foreground, background). When they run out, later styles fall back to the default pair and
/// keep their attributes.
struct ColorPairs {
    private var pairs: [PairKey: Int16] = [:]
    private var next: Int32 = 1
    let limit: Int32
    let enabled: Bool

    struct PairKey: Hashable {
        var foreground: Int16
        var background: Int16
    }

    init(enabled: Bool) {
        self.enabled = enabled
        limit = enabled ? min(cnc_color_pairs(), 32_767) : 0
    }

    mutating func reset() {
        pairs = [:]
        next = 1
    }

    mutating func pair(for style: Style) -> Int16 {
        guard enabled else { return 0 }
        let key = PairKey(foreground: Self.number(style.foreground), background: Self.number(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard next < limit else { return 0 }
        let pair = Int16(next)
        init_pair(pair, key.foreground, key.background)
        pairs[key] = pair
        next += 1
        return pair
    }

    /// The ncurses colour number; -1 is the terminal's own colour (after use_default_colors).
    static func number(_ color: Color?) -> Int16 {
        switch color {
        case nil, .terminal?: return -1
        case .ansi(let n)?: return Int16(n)
        case .indexed(let n)?: return Int16(n)
        case .rgb?: return -1 // degraded before it gets here; a truecolor value has no pair
        }
    }
}
