import Foundation
import NIOFoundationCompat
import Hummingbird
import ParleyCore

/// The error envelope of each surface: OpenAI's `{"error": {message, type, param, code}}` for `/v1`,
/// Ollama's `{"error": "..."}` for `/ollama`, and OpenAI's shape again for everything else.
enum ErrorSurface {
    case openAI
    case ollama

    init(path: String) {
        self = path.hasPrefix("/ollama/") ? .ollama : .openAI
    }

    /// OpenAI's error envelope, which `/api/v1` shares.
    static func envelope(for error: ParleyError) -> JSONValue {
        [
            "error": [
                "message": .string(error.message),
                "type": .string(error.type),
                "param": error.param.map { .string($0) } ?? nil,
                "code": error.codeString.map { .string($0) } ?? nil,
            ]
        ]
    }

    /// The body of an error response.
    func body(for error: ParleyError) -> Data {
        switch self {
        case .openAI:
            return Self.envelope(for: error).jsonData()
        case .ollama:
            return JSONValue.object(["error": .string(error.message)]).jsonData()
        }
    }

    func response(for error: ParleyError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(
            status: HTTPResponse.Status(code: error.status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(data: body(for: error))))
    }
}
