/// Bold, dim, underline, reverse, italic: what survives when colour does not.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
    public static let reverse = Attributes(rawValue: 8)
    public static let italic = Attributes(rawValue: 16)

    static let names: [(String, Attributes)] = [("bold", .bold), ("dim", .dim), ("underline", .underline),
                                                ("reverse", .reverse), ("italic", .italic)]
}

/// How one role looks: colours (nil inherits) and attributes.
public struct Style: Hashable, Sendable {
    public var foreground: Color?
    public var background: Color?
    public var attributes: Attributes

    public init(foreground: Color? = nil, background: Color? = nil, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The style as a terminal of this depth shows it: colours mapped down, attributes kept.
    public func degraded(to depth: ColorDepth) -> Style {
        Style(foreground: foreground?.degraded(to: depth), background: background?.degraded(to: depth), attributes: attributes)
    }
}
