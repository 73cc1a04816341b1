/// A packet type written on the wire as one ASCII digit (Engine.IO and Socket.IO both do this).
public protocol DigitCoded: RawRepresentable where RawValue == UInt8 {}

extension DigitCoded {
    // Inlinable, so each packet type gets its own specialized copy: a generic call across modules
    // instantiated Optional<Self> metadata at run time for every packet (seen in perf).

    /// The ASCII digit on the wire.
    @inlinable public var digit: UInt8 { rawValue &+ UInt8(ascii: "0") }

    @inlinable public init?(digit: UInt8) {
        guard digit >= UInt8(ascii: "0") else { return nil }
        self.init(rawValue: digit - UInt8(ascii: "0"))
    }
}
