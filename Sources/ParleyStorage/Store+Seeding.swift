import FluentKit
import SQLKit

/// Raw access for filling a database fast (the storage benchmark seeds a million messages). Not for the
/// server: it skips every check the rest of the Store makes.
@_spi(Seeding)
extension Store {
    /// A time-ordered id, as the Store makes them.
    public static func makeIdentifier(at milliseconds: Int64) -> String { Identifier.make(at: milliseconds) }

    /// Inserts `rows` into `table` in multi-row `INSERT` statements, all in one transaction.
    public func bulkInsert(into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        guard !rows.isEmpty else { return }
        // Both databases allow 32,766 bound values or more in one statement.
        let rowsPerStatement = max(1, 30_000 / columns.count)
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + rowsPerStatement)
                var insert = sql.insert(into: table).columns(columns)
                for row in rows[start..<end] { insert = insert.values(row) }
                try await insert.run()
                start = end
            }
        }
    }

    /// Runs one statement that returns nothing (`ANALYZE`, `VACUUM`, ...).
    public func execute(_ statement: String) async throws {
        try await sql.raw(SQLQueryString(statement)).run()
    }

    /// Runs a query and returns each row's columns as text, in order (for `EXPLAIN`).
    public func rows(_ query: String, columns: [String]) async throws -> [[String]] {
        try await sql.raw(SQLQueryString(query)).all().map { row in
            columns.map { column in
                if let text = try? row.decode(column: column, as: String?.self) { return text ?? "NULL" }
                if let number = try? row.decode(column: column, as: Int64.self) { return String(number) }
                return "?"
            }
        }
    }
}
