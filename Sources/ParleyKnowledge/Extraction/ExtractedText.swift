/// The text of a document as extraction found it: a title and sections that each carry where they came
/// from (page, row, heading), before chunking.
public struct ExtractedText: Sendable, Hashable {
    public var title: String?
    public var sections: [Section]

    public init(title: String?, sections: [Section]) {
        self.title = title
        self.sections = sections
    }

    /// A run of text with one origin.
    public struct Section: Sendable, Hashable {
        public var text: String
        public var page: Int?
        public var row: Int?
        public var heading: String?
        /// Whether the chunker may put this section in one chunk with its neighbours (CSV rows are short
        /// records: one chunk per row would make many tiny chunks).
        public var joinable: Bool

        public init(text: String, page: Int? = nil, row: Int? = nil, heading: String? = nil, joinable: Bool = false) {
            self.text = text
            self.page = page
            self.row = row
            self.heading = heading
            self.joinable = joinable
        }
    }
}
