/// Text as raw bytes, for dictionary keys. Swift's `String` compares by canonical equivalence
/// ("ά" precomposed equals "ά" decomposed), but vocabularies hold both forms as different tokens,
/// and llama.cpp tells them apart by bytes.
struct ByteString: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ bytes: ArraySlice<UInt8>) { self.bytes = Array(bytes) }
    init(_ text: String) { bytes = Array(text.utf8) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (left: ByteString, right: ByteString) -> Bool {
        left.bytes.count == right.bytes.count
            && left.bytes.withUnsafeBytes { a in right.bytes.withUnsafeBytes { b in a.elementsEqual(b) } }
    }
}

extension ByteString: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self.init(value) }
}
