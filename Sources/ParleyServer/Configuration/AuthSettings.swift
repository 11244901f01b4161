import Foundation
import ParleyCore

/// How people sign in, and the limits that keep one of them from using up a shared Parley.
public struct AuthSettings: Sendable {
    /// The header a trusted proxy names the user in (auth mode `trusted-header`).
    public var trustedHeader = "X-Forwarded-User"
    /// Addresses whose `trustedHeader` (and `X-Forwarded-Proto`) are believed.
    public var trustedProxies: [IPNetwork] = [IPNetwork("127.0.0.1/32")!, IPNetwork("::1/128")!]
    /// How long a browser stays signed in.
    public var sessionLifetime: Duration = .seconds(7 * 24 * 3600)
    /// Whether session cookies are `Secure`; nil: when the request came over TLS (a trusted proxy's
    /// `X-Forwarded-Proto: https`).
    public var secureCookies: Bool?
    /// bcrypt's cost for new passwords (each step doubles the work of a guess, and of a sign-in).
    public var bcryptCost = 12
    /// Failed sign-ins allowed per username and per address in 15 minutes before further tries wait.
    public var loginAttempts = 5
    /// The first admin, made on first start when `adminPassword` is set and no admin exists.
    public var adminUsername = "admin"
    public var adminPassword: String?
    /// Encrypts secrets at rest (see `SecretBox`); nil: `secret.key` in the data directory.
    public var secretKey: String?
    /// Default limits of every user (a user's own limits, set by an admin, replace them).
    public var requestsPerMinute: Int?
    public var dailyTokens: Int?

    public init() {}
}
