import Foundation
import ParleyCore

/// A `multipart/form-data` body (RFC 7578), already read (under the size limit): its parts with their
/// field names, file names, content types and bytes.
struct MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]
        /// Whether the body was cut short (the last part of a body read in part only).
        var isCut = false
    }

    var parts: [Part]

    /// The boundary of a `multipart/form-data` content type, or nil for another type.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            return String(piece.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    /// - Parameter isWhole: false when `body` is only the beginning of the body (one too large to keep):
    ///   its last part, unclosed, is kept as far as it goes and marked cut.
    init(body: [UInt8], boundary: String, isWhole: Bool = true) throws {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var position = Self.find(delimiter, in: body, from: 0) else {
            throw ParleyError.badRequest("the multipart body has no part with its boundary")
        }
        while true {
            position += delimiter.count
            // "--" after a delimiter ends the body.
            if position + 1 < body.count, body[position] == 0x2D, body[position + 1] == 0x2D { break }
            guard let headersEnd = Self.find(Array("\r\n\r\n".utf8), in: body, from: position) else {
                if !isWhole { break }
                throw ParleyError.badRequest("a multipart part has no end to its headers")
            }
            let headerText = String(decoding: body[position..<headersEnd], as: UTF8.self)
            let contentStart = headersEnd + 4
            let next = Self.find(Array("\r\n".utf8) + delimiter, in: body, from: contentStart)
            guard next != nil || !isWhole else {
                throw ParleyError.badRequest("a multipart part is not closed by the boundary")
            }
            var part = Part(
                name: "", filename: nil, contentType: nil, body: Array(body[contentStart..<(next ?? body.count)]),
                isCut: next == nil)
            for line in headerText.split(separator: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if field == "content-type" { part.contentType = value }
                if field == "content-disposition" {
                    for parameter in value.split(separator: ";").dropFirst() {
                        let pair = parameter.split(separator: "=", maxSplits: 1).map {
                            $0.trimmingCharacters(in: .whitespaces)
                        }
                        guard pair.count == 2 else { continue }
                        let unquoted = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                        if pair[0].lowercased() == "name" { part.name = unquoted }
                        if pair[0].lowercased() == "filename" { part.filename = unquoted }
                    }
                }
            }
            parts.append(part)
            guard let next else { break }
            position = next + 2
        }
        self.parts = parts
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
