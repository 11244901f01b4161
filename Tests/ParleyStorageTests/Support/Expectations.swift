import ParleyCore
import Testing

/// Expects `body` to throw a `ParleyError` with `status`, and with `param` when one is given.
func expectError(
    status: Int, param: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected a \(status) error, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ParleyError {
        #expect(error.status == status, "\(error)", sourceLocation: sourceLocation)
        if let param { #expect(error.param == param, "\(error)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record(
            "expected a \(status) ParleyError, got \(String(reflecting: error))", sourceLocation: sourceLocation)
    }
}
