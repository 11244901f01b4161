import Hummingbird
import NIOCore
import NIOFoundationCompat
import ParleyWebUI

/// The web UI: `index.html` at `/` and at the UI's own client routes (`/c/{id}`, `/admin`, ...),
/// its files under `/ui/`. Every answer carries a Content-Security-Policy that allows only Parley's
/// own scripts, styles and connections, and names who may frame the UI (`ui.frame_ancestors`).
struct WebUIController {
    let assets: WebAssets
    /// The `frame-ancestors` sources, as configured (`'self'` by default).
    let frameAncestors: String

    /// Paths the single-page application draws itself; a reload there must find the page.
    static let clientRoutes = ["c/:id", "login", "admin", "prompts", "account", "compare"]

    func addRoutes(to router: Router<ParleyRequestContext>) {
        router.get("/", use: page)
        for route in Self.clientRoutes { router.get(RouterPath(route), use: page) }
        router.get("ui/**", use: file)
    }

    @Sendable func page(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        respond(to: request, with: assets.asset(at: "index.html"))
    }

    @Sendable func file(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let path = context.parameters.getCatchAll().joined(separator: "/")
        return respond(to: request, with: assets.asset(at: path))
    }

    private func respond(to request: Request, with asset: WebAssets.Asset?) -> Response {
        var headers = securityHeaders
        guard let asset else {
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Not found\n")))
        }
        headers[.eTag] = asset.etag
        // No fingerprints in the file names, so browsers revalidate every time (a 304 is cheap).
        headers[.cacheControl] = "no-cache"
        if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == asset.etag
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: asset.bytes)))
    }

    var securityHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy(frameAncestors: frameAncestors)
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicy] = "same-origin"
        return headers
    }

    static let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy")!

    /// Scripts, styles and connections from Parley only; no inline script, no plugins, no `<base>`.
    static func contentSecurityPolicy(frameAncestors: String) -> String {
        [
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
            "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
            "frame-ancestors \(frameAncestors)",
        ].joined(separator: "; ")
    }
}
