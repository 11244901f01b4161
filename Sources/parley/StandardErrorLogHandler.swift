import Logging

/// swift-log's `StreamLogHandler` on standard error, with the metadata laid out only when a line is
/// written. `StreamLogHandler` lays it out again every time a key is set, and the HTTP server sets the
/// request id on every request's logger: a few per cent of a gateway request's time, for lines that
/// are almost never written.
struct StandardErrorLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, level: Logger.Level) {
        stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = level
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var stream = stream
        stream.metadata = metadata
        stream.metadataProvider = metadataProvider
        stream.log(event: event)
    }
}
