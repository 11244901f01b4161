/// A function a template can call: a global (`range`, `namespace`, `raise_exception`), a macro,
/// or a method bound to its value (`'text'.strip`).
final class JinjaCallable {
    typealias Body = (_ arguments: [JinjaValue], _ keywords: [(String, JinjaValue)]) throws -> JinjaValue

    let name: String
    let body: Body

    init(name: String, body: @escaping Body) {
        self.name = name
        self.body = body
    }
}
