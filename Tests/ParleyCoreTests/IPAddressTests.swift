import ParleyCore
import Testing

@Suite struct IPAddressTests {
    @Test(arguments: ["127.0.0.1", "10.2.3.4", "::1", "fe80::1", "2001:db8::8a2e:370:7334"])
    func writesAnAddressAsItIsUsuallyWritten(_ text: String) throws {
        #expect(try #require(IPAddress(text)).description == text)
    }

    @Test func networksContainTheirAddressesOnly() throws {
        let network = try #require(IPNetwork("10.0.0.0/8"))
        #expect(network.contains("10.200.1.1"))
        #expect(!network.contains("11.0.0.1"))
    }
}
