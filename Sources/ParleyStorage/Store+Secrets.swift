import ParleyCore
import SQLKit

extension Store {
    /// A known value sealed with the secret key, so that a replica started with another key is refused at
    /// once instead of failing later on each provider.
    static let secretKeyCheckSetting = "secret_key_check"
    static let secretKeyCheckText = "parley"

    func checkSecretKey() async throws {
        guard let stored = try await setting(Self.secretKeyCheckSetting) else {
            // First start: concurrent replicas may both write; the check then holds whichever came last,
            // sealed with the same key if they were configured alike.
            try await setSetting(Self.secretKeyCheckSetting, try secrets.seal(Self.secretKeyCheckText))
            return
        }
        let opened = try? secrets.open(stored)
        guard opened == Self.secretKeyCheckText else {
            throw ParleyError.internal(
                "this database's secrets were encrypted with another secret key: start Parley with the "
                    + "PARLEY_SECRET_KEY (or the data directory's secret.key) that the database was made with")
        }
    }

    /// Encrypts provider keys written before secrets were encrypted.
    func sealPlaintextSecrets() async throws {
        let rows = try await sql.raw("SELECT id, api_key FROM providers WHERE api_key IS NOT NULL").all()
        for row in rows {
            let stored = try row.string("api_key")
            guard !SecretBox.isSealed(stored) else { continue }
            try await sql.raw(
                "UPDATE providers SET api_key = \(bind: try secrets.seal(stored)) WHERE id = \(bind: try row.string("id"))"
            ).run()
        }
    }
}
