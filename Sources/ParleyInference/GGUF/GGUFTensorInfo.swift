/// One entry of a GGUF file's tensor directory.
public struct GGUFTensorInfo: Sendable, Hashable {
    public let name: String
    /// Dimensions, innermost (`ne0`, contiguous in memory) first, as GGUF stores them.
    public let shape: [Int]
    public let type: GGMLType
    /// Absolute offset of the tensor's data in the file.
    public let offset: Int
    /// Size of the tensor's data in bytes.
    public let byteCount: Int

    public init(name: String, shape: [Int], type: GGMLType, offset: Int, byteCount: Int) {
        self.name = name
        self.shape = shape
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
    }

    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// Number of rows: every dimension but the first.
    public var rowCount: Int { shape.dropFirst().reduce(1, *) }
}
