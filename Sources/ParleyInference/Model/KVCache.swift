/// Keys and values of the positions a model has seen, in half precision, for every layer.
///
/// Memory is reserved for the whole capacity but the system only backs the pages that positions
/// touch, so a large context costs nothing until it is used.
public final class KVCache: @unchecked Sendable {
    public let layers: Int
    /// Floats per position per layer (key heads times head size).
    public let kvDimension: Int
    public let capacity: Int
    /// Positions filled, from the start.
    public internal(set) var count = 0

    private let keyStorage: UnsafeMutablePointer<UInt16>
    private let valueStorage: UnsafeMutablePointer<UInt16>

    public init(layers: Int, kvDimension: Int, capacity: Int) {
        self.layers = layers
        self.kvDimension = kvDimension
        self.capacity = capacity
        keyStorage = .allocate(capacity: max(1, layers * capacity * kvDimension))
        valueStorage = .allocate(capacity: max(1, layers * capacity * kvDimension))
    }

    deinit {
        keyStorage.deallocate()
        valueStorage.deallocate()
    }

    /// Room left.
    public var free: Int { capacity - count }

    /// Forgets positions from `newCount` on (to reuse a shared prefix of the next prompt).
    public func truncate(to newCount: Int) {
        count = max(0, min(count, newCount))
    }

    func keys(layer: Int) -> UnsafeMutablePointer<UInt16> { keyStorage + layer * capacity * kvDimension }
    func values(layer: Int) -> UnsafeMutablePointer<UInt16> { valueStorage + layer * capacity * kvDimension }
}
