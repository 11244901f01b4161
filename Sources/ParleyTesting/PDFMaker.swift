import Foundation

/// Writes small, valid PDF files with text pages (Helvetica, one line per string), for tests and
/// benchmarks that need PDFs without a PDF library. Can also write one that claims to be encrypted.
public enum PDFMaker {
    /// A PDF with one page per element of `pages`, each page's lines top to bottom (ASCII text).
    public static func make(pages: [[String]], title: String? = nil, encrypted: Bool = false) -> Data {
        var objects: [String] = []
        let pageCount = pages.count
        // 1 catalog, 2 pages, 3 font, then page and content pairs, then info and encryption.
        let firstPage = 4
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        let kids = (0..<pageCount).map { "\(firstPage + $0 * 2) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pageCount) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        for (index, lines) in pages.enumerated() {
            let contentNumber = firstPage + index * 2 + 1
            objects.append(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                    + "/Contents \(contentNumber) 0 R >>")
            var stream = "BT /F1 11 Tf 14 TL 56 740 Td\n"
            for line in lines { stream += "(\(escape(line))) Tj T*\n" }
            stream += "ET"
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream")
        }
        let infoNumber = objects.count + 1
        objects.append("<< /Title (\(escape(title ?? "Untitled"))) /Producer (Parley PDFMaker) >>")
        var encryptNumber: Int?
        if encrypted {
            encryptNumber = objects.count + 1
            let filler = String(repeating: "5A", count: 32)
            objects.append(
                "<< /Filter /Standard /V 1 /R 2 /O <\(filler)> /U <\(String(repeating: "A5", count: 32))> /P -44 >>")
        }
        var output = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(output.utf8.count)
            output += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = output.utf8.count
        output += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { output += String(format: "%010d 00000 n \n", offset) }
        var trailer = "<< /Size \(objects.count + 1) /Root 1 0 R /Info \(infoNumber) 0 R"
        if let encryptNumber {
            let id = String(repeating: "0123456789ABCDEF", count: 2)
            trailer += " /Encrypt \(encryptNumber) 0 R /ID [<\(id)> <\(id)>]"
        }
        output += "trailer\n\(trailer) >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(output.utf8)
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "(", ")", "\\": escaped += "\\" + String(scalar)
            case _ where scalar.isASCII && scalar.value >= 32: escaped.unicodeScalars.append(scalar)
            default: escaped += "?"
            }
        }
        return escaped
    }
}
