/// FNV-1a, 64 bits: a hash that is the same on every run and machine, so it may be stored (content hashes,
/// template fingerprints) and compared across processes. Word hashes for in-memory tables use `Lexicon.hash`,
/// which is faster on whole words; this one takes a byte or a 64-bit value at a time.
public struct FNV1a {
    /// FNV's 64-bit offset basis and prime. Computed, not stored: a stored static of another module is reached
    /// through its lazy initializer's accessor on every use, a constant folds into the caller's loop.
    @inlinable public static var offsetBasis: UInt64 { 0xcbf2_9ce4_8422_2325 }
    @inlinable public static var prime: UInt64 { 0x100_0000_01b3 }

    /// The hash of what was added so far.
    public var value: UInt64

    /// A hash of nothing yet, or one that starts from `seed` (a mix of some other fact, such as a length).
    @inlinable
    public init(seed: UInt64 = 0) { value = FNV1a.offsetBasis ^ seed }

    /// A hash that continues from `state` instead of the offset basis (keys that must differ by position).
    @inlinable
    public init(state: UInt64) { value = state }

    @inlinable
    public mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* FNV1a.prime }

    /// Adds a whole 64-bit value as one step (a word's hash, a signature slot).
    @inlinable
    public mutating func add(word: UInt64) { value = (value ^ word) &* FNV1a.prime }

    /// The hash of `bytes`.
    @inlinable
    public static func hash<S: Sequence<UInt8>>(_ bytes: S) -> UInt64 {
        var h = FNV1a()
        for b in bytes { h.add(b) }
        return h.value
    }
}
