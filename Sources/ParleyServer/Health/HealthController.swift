import Hummingbird
import ParleyCore
import ParleyProviders

/// `/healthz` (the process is up) and `/readyz` (it can serve: some provider is reachable).
struct HealthController {
    let router: ModelRouter

    func addRoutes(to router: Router<ParleyRequestContext>) {
        router.get("healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("readyz", use: ready)
    }

    @Sendable func ready(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let statuses = router.statuses()
        let ready = statuses.isEmpty || statuses.contains(where: \.isReachable)
        let providers: [JSONValue] = statuses.map { status in
            var entry: [String: JSONValue] = [
                "name": .string(status.name), "reachable": .bool(status.isReachable),
                "models": .number(Double(status.models.count)),
            ]
            if let error = status.lastError { entry["error"] = .string(error) }
            return .object(entry)
        }
        return try JSONResponse.make(
            ["status": .string(ready ? "ready" : "unavailable"), "providers": .array(providers)] as JSONValue,
            status: ready ? .ok : .serviceUnavailable)
    }
}
