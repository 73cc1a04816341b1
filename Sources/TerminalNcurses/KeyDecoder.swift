import CNcurses
import TermUI

/// Turns what `wget_wch` returned into a `KeyEvent`. Pure, so the table is tested without a terminal.
public enum KeyDecoder {
    /// A function key (`wget_wch` returned KEY_CODE_YES).
    public static func functionKey(_ code: Int32) -> KeyEvent? {
        switch code {
        case KEY_UP: return .special(.up)
        case KEY_DOWN: return .special(.down)
        case KEY_LEFT: return .special(.left)
        case KEY_RIGHT: return .special(.right)
        case KEY_HOME: return .special(.home)
        case KEY_END: return .special(.end)
        case KEY_PPAGE: return .special(.pageUp)
        case KEY_NPAGE: return .special(.pageDown)
        case KEY_ENTER: return .special(.enter)
        case KEY_BTAB: return .special(.backTab)
        case KEY_BACKSPACE: return .special(.backspace)
        case KEY_DC: return .special(.delete)
        case cnc_key_resize(): return .special(.resize)
        case cnc_key_f(1): return .special(.f1)
        default: return nil
        }
    }

    /// A character (`wget_wch` returned OK): control codes become named keys or Ctrl chords.
    public static func character(_ value: UInt32) -> KeyEvent? {
        switch value {
        case 9: return .special(.tab)
        case 10, 13: return .special(.enter)
        case 27: return .special(.escape)
        case 8, 127: return .special(.backspace)
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        case 0, 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}
