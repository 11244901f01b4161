import Logging
import ParleyCore
import ParleyStorage

/// The first admin of a new server: made from `PARLEY_ADMIN_PASSWORD` (as `PARLEY_ADMIN_USERNAME`,
/// `admin` by default) when no user of that name exists. Later starts leave that user alone, so changing
/// the password in the UI sticks.
struct AdminBootstrap {
    let configuration: ParleyConfiguration
    let store: Store
    let logger: Logger

    func run() async throws {
        let settings = configuration.auth
        guard let password = settings.adminPassword else {
            if configuration.authMode == .local, try await store.users(cursor: nil, limit: 1).items.isEmpty {
                logger.warning(
                    "auth mode local has no users yet: run 'parley users create NAME --admin', or start with PARLEY_ADMIN_PASSWORD set")
            }
            return
        }
        guard try await store.user(username: settings.adminUsername) == nil else { return }
        let hash = try await Passwords.hash(password, cost: settings.bcryptCost)
        do {
            let admin = try await store.createUser(
                username: settings.adminUsername, displayName: "Administrator", role: .admin, passwordHash: hash)
            _ = try await store.addRecord(
                userID: admin.id, action: "user.create", chatID: nil, model: nil,
                detail: ["username": .string(admin.username), "source": "PARLEY_ADMIN_PASSWORD"], outcome: "ok")
            logger.notice("first admin created", metadata: ["parley.user": "\(admin.username)"])
        } catch let error as ParleyError where error.status == 409 {
            // Another replica made it first.
        }
    }
}
