/// A streaming RFC 4180 parser: bytes go in as they arrive, complete records come out. Quoted fields may
/// hold commas, doubled quotes and line breaks; lines end in LF or CRLF. Only the record being read is
/// kept in memory, so a file of any length is read in constant space.
public struct CSVParser: Sendable {
    /// A CSV that does not follow the format, with the line where it went wrong.
    public struct Malformed: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var problem: String
        public var description: String { "malformed CSV at line \(line): \(problem)" }
    }

    private enum State {
        case fieldStart
        case unquoted
        case quoted
        /// A quote inside a quoted field: either the closing quote or the first of a doubled one.
        case quoteInQuoted
    }

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var record: [String] = []
    private var pendingCR = false
    /// The line the next byte is on (1-based), counting line breaks inside quoted fields too.
    public private(set) var line = 1
    /// The line the record being read began on.
    private var recordLine = 1

    public init() {}

    /// Feeds bytes; calls `emit` with each complete record and the line it began on.
    public mutating func feed(_ bytes: some Sequence<UInt8>, emit: ([String], Int) throws -> Void) throws {
        for byte in bytes {
            try consume(byte, emit: emit)
        }
    }

    /// Ends the input: emits the last record if it had no line break after it.
    public mutating func finish(emit: ([String], Int) throws -> Void) throws {
        switch state {
        case .quoted:
            throw Malformed(line: recordLine, problem: "a quoted field is never closed")
        case .fieldStart where record.isEmpty && field.isEmpty:
            return
        default:
            endField()
            try endRecord(emit: emit)
        }
    }

    /// A line break outside quotes: the record ends and the next begins on the next line (a `\r\n` pair
    /// counts once).
    private mutating func endLine(carriageReturn: Bool, emit: ([String], Int) throws -> Void) throws {
        endField()
        try endRecord(emit: emit)
        line += 1
        recordLine = line
        pendingCR = carriageReturn
    }

    private mutating func consume(_ byte: UInt8, emit: ([String], Int) throws -> Void) throws {
        let quote: UInt8 = 0x22
        let comma: UInt8 = 0x2C
        let newline: UInt8 = 0x0A
        let carriageReturn: UInt8 = 0x0D
        if pendingCR {
            pendingCR = false
            if byte == newline { return }
        }
        switch state {
        case .fieldStart, .unquoted:
            switch byte {
            case quote where state == .fieldStart:
                state = .quoted
            case quote:
                throw Malformed(line: line, problem: "a quote inside an unquoted field")
            case comma:
                endField()
            case newline, carriageReturn:
                try endLine(carriageReturn: byte == carriageReturn, emit: emit)
            default:
                field.append(byte)
                state = .unquoted
            }
        case .quoted:
            if byte == quote {
                state = .quoteInQuoted
            } else {
                if byte == newline { line += 1 }
                field.append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case quote:
                field.append(quote)
                state = .quoted
            case comma:
                endField()
            case newline, carriageReturn:
                try endLine(carriageReturn: byte == carriageReturn, emit: emit)
            default:
                throw Malformed(line: line, problem: "text after the closing quote of a field")
            }
        }
    }

    private mutating func endField() {
        record.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRecord(emit: ([String], Int) throws -> Void) throws {
        defer { record.removeAll(keepingCapacity: true) }
        // A blank line is no record.
        if record.count == 1 && record[0].isEmpty { return }
        try emit(record, recordLine)
    }
}
