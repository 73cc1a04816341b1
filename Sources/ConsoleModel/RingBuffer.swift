/// A bounded, ordered store: appending past the capacity (in items or in approximate bytes)
/// drops the oldest and counts it, so a flood cannot grow memory without limit.
public struct RingBuffer<Element: Sendable>: Sendable {
    public let capacity: Int
    public let byteBudget: Int
    private var storage: [Element?]
    private var sizes: [Int]
    private var head = 0
    public private(set) var count = 0
    public private(set) var bytes = 0
    /// How many items were dropped to keep within the bounds, since the start.
    public private(set) var dropped = 0

    public init(capacity: Int, byteBudget: Int = .max) {
        precondition(capacity > 0, "a ring buffer holds at least one item")
        self.capacity = capacity
        self.byteBudget = byteBudget
        storage = Array(repeating: nil, count: capacity)
        sizes = Array(repeating: 0, count: capacity)
    }

    public mutating func append(_ element: Element, bytes size: Int = 0) {
        if count == capacity { dropOldest() }
        let index = (head + count) % capacity
        storage[index] = element
        sizes[index] = size
        bytes += size
        count += 1
        while bytes > byteBudget, count > 1 { dropOldest() }
    }

    private mutating func dropOldest() {
        storage[head] = nil
        bytes -= sizes[head]
        sizes[head] = 0
        head = (head + 1) % capacity
        count -= 1
        dropped += 1
    }

    public mutating func removeAll() {
        storage = Array(repeating: nil, count: capacity)
        sizes = Array(repeating: 0, count: capacity)
        head = 0
        count = 0
        bytes = 0
    }

    /// The item at a position, 0 being the oldest kept.
    public subscript(position: Int) -> Element {
        get { storage[(head + position) % capacity]! }
        set { storage[(head + position) % capacity] = newValue }
    }

    public var isEmpty: Bool { count == 0 }
    public var last: Element? { count == 0 ? nil : self[count - 1] }

    /// The items, oldest first.
    public var elements: [Element] { (0..<count).map { self[$0] } }
}
