/// Variables visible at one point of a template. A `for` body, a macro and `with` each get a child
/// scope, so a plain `{% set %}` inside them does not change the variable outside (which is why
/// templates reach for `namespace()`); `if` shares its parent's scope.
final class JinjaScope {
    var variables: [String: JinjaValue] = [:]
    let parent: JinjaScope?

    init(parent: JinjaScope?) {
        self.parent = parent
    }

    func lookup(_ name: String) -> JinjaValue? {
        var scope: JinjaScope? = self
        while let current = scope {
            if let value = current.variables[name] { return value }
            scope = current.parent
        }
        return nil
    }
}
