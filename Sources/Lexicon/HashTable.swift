/// An open-addressing map from 64-bit hashes (already well mixed) to 32-bit values: no rehashing of the
/// key, no allocation per entry. Used where a word's FNV hash stands for the word.
@frozen
public struct HashMap64 {
    @usableFromInline var keys: [UInt64]
    @usableFromInline var values: [Int32]
    @usableFromInline var mask: Int
    /// Number of entries.
    public private(set) var count = 0

    /// Makes an empty map sized for about `capacity` entries.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// The value for `key` (0 is not a valid key).
    @inlinable @inline(__always)
    public func get(_ key: UInt64) -> Int32? {
        var i = Int(truncatingIfNeeded: key ^ (key >> 31)) & mask
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Sets the value for `key` (0 is not a valid key).
    public mutating func set(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        var i = Int(truncatingIfNeeded: key ^ (key >> 31)) & mask
        while true {
            let k = keys[i]
            if k == key {
                values[i] = value
                return
            }
            if k == 0 {
                keys[i] = key
                values[i] = value
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// The value for `key`, or `value` after storing it when the key is new (one probe either way).
    public mutating func value(for key: UInt64, inserting value: Int32) -> (Int32, inserted: Bool) {
        if (count + 1) * 2 > keys.count { grow() }
        var i = Int(truncatingIfNeeded: key ^ (key >> 31)) & mask
        while true {
            let k = keys[i]
            if k == key { return (values[i], false) }
            if k == 0 {
                keys[i] = key
                values[i] = value
                count += 1
                return (value, true)
            }
            i = (i + 1) & mask
        }
    }

    /// Whether `key` is in the map.
    @inlinable @inline(__always)
    public func contains(_ key: UInt64) -> Bool { get(key) != nil }

    /// Calls `body` with every key and its value, in no particular order.
    public func forEach(_ body: (UInt64, Int32) -> Void) {
        for (k, v) in zip(keys, values) where k != 0 { body(k, v) }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (k, v) in zip(oldKeys, oldValues) where k != 0 { set(k, v) }
    }
}
