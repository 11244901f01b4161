import ParleyCore

/// A response body written with ``JSONWriter`` rather than `Encodable`: the bodies of the gateway's hot
/// paths (`chat.completion` and its stream chunks), whose member order follows OpenAI's documents.
protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension JSONWriter {
    /// A member holding an array of writable values.
    mutating func array(_ name: String, _ values: [some JSONWritable]) {
        key(name)
        beginArray()
        for value in values { value.write(to: &self) }
        endArray()
    }
}
