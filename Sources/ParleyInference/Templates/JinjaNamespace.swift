/// `namespace(...)`: the one mutable object templates have, so a loop can leave a value behind.
final class JinjaNamespace {
    var attributes = JinjaDict()
}
