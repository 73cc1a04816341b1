/// A JSON object that keeps its keys in insertion order, as JavaScript does, so that what a peer sent
/// is shown and re-encoded in the same order. A key appears once; setting it again replaces the value
/// in place (the last duplicate wins, as with `JSON.parse`).
public struct JSONObject: Sendable, Hashable {
    public private(set) var keys: [String] = []
    public private(set) var values: [JSONValue] = []

    public init() {}

    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public var pairs: Zip2Sequence<[String], [JSONValue]> { zip(keys, values) }

    public subscript(key: String) -> JSONValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let index = keys.firstIndex(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Appends without looking for an existing key: for builders that already know the key is new.
    mutating func appendNew(key: String, value: JSONValue) {
        keys.append(key)
        values.append(value)
    }

    mutating func replaceValue(at index: Int, with value: JSONValue) {
        values[index] = value
    }

    mutating func reserveCapacity(_ n: Int) {
        keys.reserveCapacity(n)
        values.reserveCapacity(n)
    }
}
