/// A JSON object that keeps its keys in insertion order, as JavaScript does, so that what a peer sent
/// is shown and re-encoded in the same order. A key appears once; setting it again replaces the value
/// in place (the last duplicate wins, as with `JSON.parse`).
///
/// Entries live in one array (one allocation per object); lookups are linear, which is fastest for
/// the small objects packets carry. The parser indexes large objects while it builds them.
public struct JSONObject: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public var keys: [String] { entries.map(\.key) }
    public var values: some Collection<JSONValue> { entries.lazy.map(\.value) }
    public var pairs: some Collection<(String, JSONValue)> { entries.lazy.map { ($0.key, $0.value) } }

    public func index(forKey key: String) -> Int? {
        entries.firstIndex { $0.key == key }
    }

    public subscript(key: String) -> JSONValue? {
        get {
            for entry in entries where entry.key == key { return entry.value }
            return nil
        }
        set {
            if let index = index(forKey: key) {
                if let newValue {
                    entries[index].value = newValue
                } else {
                    entries.remove(at: index)
                }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Appends without looking for an existing key: for builders that already know the key is new.
    mutating func appendNew(key: String, value: JSONValue) {
        entries.append(Entry(key: key, value: value))
    }

    mutating func replaceValue(at index: Int, with value: JSONValue) {
        entries[index].value = value
    }

    /// Changes every value in place, keys and order untouched.
    public mutating func updateValues(_ body: (inout JSONValue) -> Void) {
        for i in entries.indices { body(&entries[i].value) }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
