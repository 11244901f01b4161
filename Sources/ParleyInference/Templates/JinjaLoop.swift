/// The `loop` variable inside a `for` body.
final class JinjaLoop {
    let items: [JinjaValue]
    let depth: Int
    var index0 = 0

    init(items: [JinjaValue], depth: Int) {
        self.items = items
        self.depth = depth
    }

    func attribute(_ name: String) -> JinjaValue? {
        let length = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(depth)
        case "depth0": return .int(depth - 1)
        case "previtem":
            return index0 > 0 ? items[index0 - 1] : .undefined(hint: "there is no previous item")
        case "nextitem":
            return index0 + 1 < length ? items[index0 + 1] : .undefined(hint: "there is no next item")
        case "cycle":
            return .callable(
                JinjaCallable(name: "cycle") { [index0] arguments, _ in
                    guard !arguments.isEmpty else { throw TemplateError.type("no items for cycling given") }
                    return arguments[index0 % arguments.count]
                })
        default: return nil
        }
    }
}
