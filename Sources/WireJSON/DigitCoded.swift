/// A packet type written on the wire as one ASCII digit (Engine.IO and Socket.IO both do this).
public protocol DigitCoded: RawRepresentable where RawValue == UInt8 {}

extension DigitCoded {
    /// The ASCII digit on the wire.
    public var digit: UInt8 { rawValue &+ UInt8(ascii: "0") }

    public init?(digit: UInt8) {
        guard digit >= UInt8(ascii: "0") else { return nil }
        self.init(rawValue: digit - UInt8(ascii: "0"))
    }
}
