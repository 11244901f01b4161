import Foundation
import ParleyCore

/// Which addresses Parley may fetch documents from: anything public, never loopback, private,
/// link-local (with cloud metadata at 169.254.169.254), shared, multicast or reserved ranges, unless a
/// range is allowed in the configuration (`knowledge.allow_networks`).
public struct AddressPolicy: Sendable {
    public var allowed: [IPNetwork]

    public init(allowed: [IPNetwork] = []) {
        self.allowed = allowed
    }

    /// The ranges refused by default.
    public static let refused: [IPNetwork] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fe80::/10", "fc00::/7", "ff00::/8", "64:ff9b::/96", "100::/64",
    ].map { IPNetwork($0)! }

    /// Nil when `address` may be fetched, else why not.
    public func refusal(for address: IPAddress) -> String? {
        let address = address.unmapped
        if allowed.contains(where: { $0.contains(address) }) { return nil }
        guard let range = Self.refused.first(where: { $0.contains(address) }) else { return nil }
        return "the address \(address) is in a refused range (\(range)); allow it in knowledge.allow_networks"
    }

    /// Resolves `host` and checks every address it resolves to.
    ///
    /// - Returns: the addresses, all allowed.
    /// - Throws: a ``FetchError`` when the name does not resolve or any address is refused.
    public func resolve(_ host: String) throws -> [IPAddress] {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses: [IPAddress]
        if let literal = IPAddress(bare) {
            addresses = [literal]
        } else {
            addresses = try Self.lookup(bare)
        }
        for address in addresses {
            if let refusal = refusal(for: address) { throw FetchError("refused to fetch from \(host): \(refusal)") }
        }
        return addresses
    }

    static func lookup(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw FetchError("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let socketAddress = current.pointee.ai_addr {
                switch current.pointee.ai_family {
                case AF_INET:
                    socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var raw = pointer.pointee.sin_addr
                        addresses.append(IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })!)
                    }
                case AF_INET6:
                    socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var raw = pointer.pointee.sin6_addr
                        addresses.append(IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })!)
                    }
                default: break
                }
            }
            node = current.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw FetchError("cannot resolve \(host): no addresses") }
        return addresses
    }
}

/// Why a URL could not be fetched; the message becomes the document's failure reason.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
