import Foundation

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

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `::1/128`); a bare address is a /32 or /128.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    let address: [UInt8]
    let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let bytes = IPNetwork.bytes(of: String(first)) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let length, (0...(bytes.count * 8)).contains(length) else { return nil }
        self.address = bytes
        self.prefixLength = length
    }

    public var description: String {
        let text = address.count == 4
            ? address.map(String.init).joined(separator: ".")
            : stride(from: 0, to: 16, by: 2).map { String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        return "\(text)/\(prefixLength)"
    }

    /// Whether `ip` (text) is in this network. IPv4-mapped IPv6 addresses count as IPv4.
    public func contains(_ ip: String) -> Bool {
        guard var bytes = IPNetwork.bytes(of: ip) else { return false }
        if bytes.count == 16, address.count == 4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff,
            bytes[11] == 0xff
        {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == address.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            guard bytes[index] & mask == address[index] & mask else { return false }
            remaining -= bits
        }
        return true
    }

    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
