extension String {
    /// `withUTF8` for typed-throws bodies (the standard one only rethrows untyped errors).
    @inlinable
    public func withUTF8Bytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        var copy = self
        let result: Result<R, E> = copy.withUTF8 { buffer in Result { () throws(E) -> R in try body(buffer) } }
        return try result.get()
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBufferPointer` for typed-throws bodies.
    @inlinable
    public func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBufferPointer { buffer in Result { () throws(E) -> R in try body(buffer) } }
        return try result.get()
    }
}
