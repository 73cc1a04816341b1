/// What a cell means (an inbound packet, a focused border, a rejection), not how it looks. Themes
/// map roles to colours and attributes; a role `a.b.c` falls back to `a.b`, then `a`, then `base`.
public struct Role: Hashable, Sendable, RawRepresentable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// The role one step up (`a.b.c` → `a.b`), or nil for a top-level role.
    public var parent: Role? {
        guard let dot = rawValue.lastIndex(of: ".") else { return nil }
        return Role(String(rawValue[..<dot]))
    }

    public static let base: Role = "base"
}

/// The roles the console draws with. Themes may style any of them; unknown roles fall back.
extension Role {
    public static let paneBorder: Role = "pane.border"
    public static let paneBorderFocused: Role = "pane.border.focused"
    public static let paneTitle: Role = "pane.title"
    public static let paneTitleFocused: Role = "pane.title.focused"
    public static let header: Role = "table.header"
    public static let rowSelected: Role = "row.selected"
    public static let rowSelectedUnfocused: Role = "row.selected.unfocused"
    public static let dim: Role = "text.dim"
    public static let inbound: Role = "trace.inbound"
    public static let outbound: Role = "trace.outbound"
    public static let traceError: Role = "trace.error"
    public static let traceEngine: Role = "trace.engine"
    public static let allow: Role = "middleware.allow"
    public static let reject: Role = "middleware.reject"
    public static let toggleOn: Role = "toggle.on"
    public static let toggleOff: Role = "toggle.off"
    public static let inputValid: Role = "input.valid"
    public static let inputInvalid: Role = "input.invalid"
    public static let inputEmpty: Role = "input.empty"
    public static let statusBar: Role = "status.bar"
    public static let statusKey: Role = "status.key"
    public static let statusError: Role = "status.error"
    public static let statusOK: Role = "status.ok"
    public static let overlay: Role = "overlay"
    public static let overlayKey: Role = "overlay.key"
    public static let explainRaw: Role = "explain.raw"
    public static let explainMeaning: Role = "explain.meaning"
    public static let tab: Role = "tab"
    public static let tabActive: Role = "tab.active"
    /// The guided tour: packets and explanation lines the current step points at.
    public static let lessonMark: Role = "lesson.mark"

    /// Roles that must stay visible without colour (selection, focus, refusal, errors).
    public static let mustStandOut: Set<Role> = [
        .rowSelected, .rowSelectedUnfocused, .paneBorderFocused, .paneTitleFocused, .reject, .toggleOn, .inputInvalid,
        .statusBar, .statusKey, .statusError, .traceError, .tabActive,
    ]

    /// Every role the console uses, for theme checks and the legend of snapshot dumps.
    public static let all: [Role] = [
        .base, .paneBorder, .paneBorderFocused, .paneTitle, .paneTitleFocused, .header, .rowSelected,
        .rowSelectedUnfocused, .dim, .inbound, .outbound, .traceError, .traceEngine, .allow, .reject, .toggleOn,
        .toggleOff, .inputValid, .inputInvalid, .inputEmpty, .statusBar, .statusKey, .statusError, .statusOK,
        .overlay, .overlayKey, .explainRaw, .explainMeaning, .tab, .tabActive, .lessonMark,
    ]
}
