/// A GGUF model file (versions 2 and 3), memory-mapped: metadata and tensor directory are parsed
/// at init, tensor data is read in place from the mapping.
///
/// Every length, count and range in the file is checked against the file's size, so a truncated or
/// corrupt file gives a `GGUFError` rather than a crash.
public final class GGUFFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    public let version: UInt32
    public let metadata: [String: GGUFValue]
    /// The tensor directory, in file order.
    public let tensors: [GGUFTensorInfo]
    /// Alignment of tensor data (`general.alignment`, 32 by default).
    public let alignment: Int
    /// Size of the file in bytes.
    public var fileSize: Int { mapping.bytes.count }

    private let mapping: MappedFile
    private let tensorIndex: [String: Int]

    private static let magic: UInt32 = 0x4655_4747  // "GGUF" read little-endian
    private static let maximumDimensions = 4

    /// Opens and maps the file, and parses its header.
    /// - Throws: `GGUFError` naming the file and the problem.
    public init(path: String) throws(GGUFError) {
        self.path = path
        mapping = try MappedFile(path: path)
        var cursor = GGUFCursor(bytes: mapping.bytes, path: path)

        guard try cursor.read(UInt32.self, "the magic") == Self.magic else { throw .notGGUF(path) }
        version = try cursor.read(UInt32.self, "the version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(path, version) }
        // A tensor entry takes 24 bytes or more, a metadata entry 13 or more.
        let tensorCount = try cursor.readCount("the tensor count", minimumBytesEach: 24)
        let metadataCount = try cursor.readCount("the metadata count", minimumBytesEach: 13)

        var metadata: [String: GGUFValue] = [:]
        metadata.reserveCapacity(metadataCount)
        for index in 0..<metadataCount {
            let key = try cursor.readString("the key of metadata entry \(index)")
            let typeCode = try cursor.read(UInt32.self, "the type of \(key)")
            let value = try cursor.readValue(typeCode: typeCode, key: key)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw .corrupt(path, "duplicate metadata key \(key)")
            }
        }
        self.metadata = metadata

        var alignment = 32
        if let value = metadata["general.alignment"] {
            guard case .uint32(let raw) = value, raw > 0, raw & (raw - 1) == 0 else {
                throw .corrupt(path, "general.alignment must be a power of two stored as uint32")
            }
            alignment = Int(raw)
        }
        self.alignment = alignment

        var entries: [(name: String, shape: [Int], type: GGMLType, relativeOffset: Int, byteCount: Int)] = []
        entries.reserveCapacity(tensorCount)
        var tensorIndex: [String: Int] = [:]
        for index in 0..<tensorCount {
            let name = try cursor.readString("the name of tensor \(index)")
            let dimensionCount = try cursor.read(UInt32.self, "the dimension count of tensor \(name)")
            guard dimensionCount <= Self.maximumDimensions else {
                throw .corrupt(path, "tensor \(name) has \(dimensionCount) dimensions (at most 4 are allowed)")
            }
            var shape: [Int] = []
            var elementCount = 1
            for _ in 0..<dimensionCount {
                let raw = try cursor.read(UInt64.self, "the shape of tensor \(name)")
                guard raw <= UInt64(Int.max) else { throw .corrupt(path, "tensor \(name) has a negative dimension") }
                let (product, overflow) = elementCount.multipliedReportingOverflow(by: Int(raw))
                guard !overflow else { throw .corrupt(path, "tensor \(name) has too many elements") }
                elementCount = product
                shape.append(Int(raw))
            }
            let typeCode = try cursor.read(UInt32.self, "the type of tensor \(name)")
            guard let type = GGMLType(rawValue: typeCode) else {
                throw .unsupportedTensorType(path, type: typeCode, tensor: name)
            }
            let rawOffset = try cursor.read(UInt64.self, "the offset of tensor \(name)")
            guard rawOffset <= UInt64(mapping.bytes.count) else {
                throw .truncated(path, "tensor \(name) starts past the end of the file")
            }
            guard Int(rawOffset) % alignment == 0 else {
                throw .corrupt(path, "tensor \(name) is not aligned to \(alignment) bytes")
            }
            let rowLength = shape.first ?? 1
            guard let rowBytes = type.rowBytes(rowLength) else {
                throw .corrupt(
                    path, "tensor \(name): a row of \(rowLength) is not a whole number of \(type.name) blocks")
            }
            let rows = rowLength == 0 ? 0 : elementCount / rowLength
            let (byteCount, overflow) = rowBytes.multipliedReportingOverflow(by: rows)
            guard !overflow else { throw .corrupt(path, "tensor \(name) is too large") }
            guard tensorIndex.updateValue(index, forKey: name) == nil else {
                throw .corrupt(path, "duplicate tensor name \(name)")
            }
            entries.append((name, shape, type, Int(rawOffset), byteCount))
        }

        let dataStart = (cursor.offset + alignment - 1) / alignment * alignment
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            let start = dataStart + entry.relativeOffset
            let (end, overflow) = start.addingReportingOverflow(entry.byteCount)
            guard !overflow, end <= mapping.bytes.count else {
                throw .truncated(path, "the data of tensor \(entry.name) lies past the end of the file")
            }
            tensors.append(
                GGUFTensorInfo(
                    name: entry.name, shape: entry.shape, type: entry.type, offset: start, byteCount: entry.byteCount)
            )
        }
        self.tensors = tensors
        self.tensorIndex = tensorIndex
    }

    /// The tensor with this name, if the file has one.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The tensor's bytes, a view into the mapping (valid while this object lives).
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(
            tensor.offset >= 0 && tensor.offset + tensor.byteCount <= mapping.bytes.count,
            "tensor \(tensor.name) does not belong to \(path)")
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[tensor.offset..<(tensor.offset + tensor.byteCount)])
    }

    /// The whole mapped file.
    public var bytes: UnsafeRawBufferPointer { mapping.bytes }

    /// Asks the system to read the whole file into memory ahead of use (the weights of a model about
    /// to run), instead of page by page on first touch.
    public func prefetch() {
        mapping.adviseWillNeed()
    }
}
