/// An error a client should see: a status, a machine-readable code, and a message that says what to
/// fix. Surfaces map it to their own envelope in one place.
public struct ParleyError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case badRequest
        case unauthorized
        case forbidden
        case notFound
        case conflict
        case unprocessable
        case modelNotFound
        case payloadTooLarge
        case contextLengthExceeded
        case rateLimited
        case upstream(status: Int)
        case upstreamUnreachable
        case upstreamTimeout
        case unavailable
        case `internal`
    }

    private let code: Code
    /// What went wrong, for the client.
    public let message: String
    /// The request field at fault, if any (`messages[1].content`).
    public let param: String?
    /// Seconds after which a retry may succeed (429, 503).
    public let retryAfter: Int?
    /// The upstream's own error type and code, when passing an upstream error on.
    public let upstreamType: String?
    public let upstreamCode: String?

    private init(
        _ code: Code,
        _ message: String,
        param: String? = nil,
        retryAfter: Int? = nil,
        upstreamType: String? = nil,
        upstreamCode: String? = nil
    ) {
        self.code = code
        self.message = message
        self.param = param
        self.retryAfter = retryAfter
        self.upstreamType = upstreamType
        self.upstreamCode = upstreamCode
    }

    public static func badRequest(_ message: String, param: String? = nil) -> ParleyError {
        ParleyError(.badRequest, message, param: param)
    }
    public static func unauthorized(_ message: String) -> ParleyError { ParleyError(.unauthorized, message) }
    public static func forbidden(_ message: String) -> ParleyError { ParleyError(.forbidden, message) }
    public static func notFound(_ message: String) -> ParleyError { ParleyError(.notFound, message) }
    /// The request clashes with what exists (a taken name): 409.
    public static func conflict(_ message: String, param: String? = nil) -> ParleyError {
        ParleyError(.conflict, message, param: param)
    }
    /// Well-formed but not applicable to this resource (editing an assistant message): 422.
    public static func unprocessable(_ message: String, param: String? = nil) -> ParleyError {
        ParleyError(.unprocessable, message, param: param)
    }
    public static func modelNotFound(_ model: String) -> ParleyError {
        ParleyError(.modelNotFound, "The model '\(model)' does not exist or is not available.", param: "model")
    }
    public static func payloadTooLarge(limit: Int) -> ParleyError {
        ParleyError(.payloadTooLarge, "The request body is larger than the limit of \(limit) bytes.")
    }
    public static func contextLengthExceeded(_ message: String) -> ParleyError {
        ParleyError(.contextLengthExceeded, message, param: "messages")
    }
    public static func rateLimited(_ message: String, retryAfter: Int) -> ParleyError {
        ParleyError(.rateLimited, message, retryAfter: retryAfter)
    }
    /// An error status returned by an upstream, passed on with its message.
    public static func upstream(status: Int, message: String, type: String? = nil, code: String? = nil, param: String? = nil) -> ParleyError {
        ParleyError(.upstream(status: status), message, param: param, upstreamType: type, upstreamCode: code)
    }
    public static func upstreamUnreachable(_ message: String) -> ParleyError { ParleyError(.upstreamUnreachable, message) }
    public static func upstreamTimeout(_ message: String) -> ParleyError { ParleyError(.upstreamTimeout, message) }
    public static func unavailable(_ message: String, retryAfter: Int? = nil) -> ParleyError {
        ParleyError(.unavailable, message, retryAfter: retryAfter)
    }
    public static func `internal`(_ message: String) -> ParleyError { ParleyError(.internal, message) }

    /// The HTTP status for this error.
    public var status: Int {
        switch code {
        case .badRequest, .contextLengthExceeded: return 400
        case .unauthorized: return 401
        case .forbidden: return 403
        case .notFound, .modelNotFound: return 404
        case .conflict: return 409
        case .unprocessable: return 422
        case .payloadTooLarge: return 413
        case .rateLimited: return 429
        case .upstream(let status): return status
        case .upstreamUnreachable: return 502
        case .upstreamTimeout: return 504
        case .unavailable: return 503
        case .internal: return 500
        }
    }

    /// OpenAI's error `type`.
    public var type: String {
        if let upstreamType { return upstreamType }
        switch code {
        case .badRequest, .notFound, .modelNotFound, .payloadTooLarge, .contextLengthExceeded, .conflict, .unprocessable:
            return "invalid_request_error"
        case .unauthorized: return "authentication_error"
        case .forbidden: return "permission_error"
        case .rateLimited: return "rate_limit_error"
        case .upstream(let status): return status >= 500 ? "api_error" : "invalid_request_error"
        case .upstreamUnreachable, .upstreamTimeout, .unavailable, .internal: return "api_error"
        }
    }

    /// A machine-readable code (`model_not_found`, `context_length_exceeded`, ...).
    public var codeString: String? {
        switch code {
        case .badRequest: return "invalid_request"
        case .unauthorized: return "invalid_api_key"
        case .forbidden: return "forbidden"
        case .notFound: return "not_found"
        case .conflict: return "conflict"
        case .unprocessable: return "unprocessable_entity"
        case .modelNotFound: return "model_not_found"
        case .payloadTooLarge: return "request_too_large"
        case .contextLengthExceeded: return "context_length_exceeded"
        case .rateLimited: return "rate_limit_exceeded"
        case .upstream: return upstreamCode
        case .upstreamUnreachable: return "upstream_unreachable"
        case .upstreamTimeout: return "upstream_timeout"
        case .unavailable: return "unavailable"
        case .internal: return "internal_error"
        }
    }

    public var isModelNotFound: Bool { code == .modelNotFound }

    public var description: String { "\(status) \(codeString ?? type): \(message)" }
}
