import Hummingbird
import ParleyCore
import ParleyKnowledge
import ParleyStorage

extension KnowledgeController {
    /// What an upload adds to a collection: a file to ingest, or one refused before ingestion (over the
    /// size for documents), which is recorded as failed with the reason.
    enum Upload {
        case file(NewDocument)
        case refused(NewDocument, sizeBytes: Int64?, reason: String)
    }

    /// Room for a multipart form's boundaries and other fields around its file.
    static let formOverhead = 64 * 1024
    /// How many times `knowledge.max_document_size` an upload may be and still become a failed document
    /// that says why; a larger body is refused (413) and no document is made.
    static let refusedUploadFactor = 4

    /// Reads an uploaded file: a multipart form (field `file`, optional `title`), or the file itself as the
    /// body (`?filename=`, `?title=`).
    func upload(_ request: Request, contentType: String) async throws -> Upload {
        let limit = knowledge.settings.maxDocumentBytes
        let body = try await UploadBody.read(
            request, keep: limit + Self.formOverhead, limit: Self.refusedUploadFactor * limit + Self.formOverhead)
        var name = APIRequest.string(request, "filename") ?? "upload"
        var title = APIRequest.string(request, "title")
        var fileType: String? = contentType.isEmpty ? nil : contentType
        var bytes = body.bytes
        // The file's size, unless it was cut short before its end.
        var size: Int? = body.size
        if let boundary = MultipartForm.boundary(contentType: contentType) {
            let form = try MultipartForm(body: body.bytes, boundary: boundary, isWhole: body.isWhole)
            guard
                let file = form.parts.first(where: { $0.name == "file" })
                    ?? form.parts.first(where: { $0.filename != nil })
            else { throw ParleyError.badRequest("file: the form has no file part", param: "file") }
            bytes = file.body
            size = file.isCut ? nil : file.body.count
            name = file.filename ?? name
            fileType = file.contentType
            if let field = form.parts.first(where: { $0.name == "title" && !$0.isCut }) {
                title = String(decoding: field.body, as: UTF8.self)
            }
        }
        let document = NewDocument(sourceKind: "upload", source: name, title: title ?? name, contentType: fileType)
        guard let size, size <= limit else {
            let what = size.map { "the file is \($0) bytes, over" } ?? "the file is over"
            return .refused(
                document, sizeBytes: size.map(Int64.init),
                reason: "\(what) the limit of \(limit) bytes (knowledge.max_document_size)")
        }
        guard !bytes.isEmpty else { throw ParleyError.badRequest("file: the file is empty", param: "file") }
        var file = document
        file.content = bytes
        file.contentHash = ContentHash.hex(of: bytes)
        return .file(file)
    }
}
