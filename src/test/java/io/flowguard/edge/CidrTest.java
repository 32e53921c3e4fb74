package io.flowguard.edge;

import java.net.InetAddress;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Address blocks: membership at both edges of a block, and what is refused as a block. */
class CidrTest {

    private static InetAddress ip(String literal) {
        return Cidr.literal(literal).orElseThrow();
    }

    @Test
    void anIpv4BlockHoldsItsFirstAndLastAddressAndNothingAround() {
        Cidr block = Cidr.parse("192.0.2.0/24");
        assertThat(block.contains(ip("192.0.1.255")), is(false));
        assertThat(block.contains(ip("192.0.2.0")), is(true));
        assertThat(block.contains(ip("192.0.2.255")), is(true));
        assertThat(block.contains(ip("192.0.3.0")), is(false));
    }

    @Test
    void aPrefixThatIsNotAWholeByteComparesOnlyItsBits() {
        Cidr block = Cidr.parse("10.0.0.0/14");
        assertThat(block.contains(ip("10.3.255.255")), is(true));
        assertThat(block.contains(ip("10.4.0.0")), is(false));
        Cidr v6 = Cidr.parse("2001:db8:ff00::/41");
        assertThat(v6.contains(ip("2001:db8:ff7f:ffff::1")), is(true));
        assertThat(v6.contains(ip("2001:db8:ff80::")), is(false));
    }

    @Test
    void aBareAddressIsABlockOfOneAndZeroBitsHoldEveryAddressOfItsFamily() {
        Cidr one = Cidr.parse("127.0.0.1");
        assertThat(one.contains(ip("127.0.0.1")), is(true));
        assertThat(one.contains(ip("127.0.0.2")), is(false));
        assertThat(Cidr.parse("::1").contains(ip("::1")), is(true));
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")), is(true));
        assertThat("an IPv4 address is not in an IPv6 block", Cidr.parse("::/0").contains(ip("203.0.113.9")), is(false));
        assertThat(Cidr.parse("::1/128").toString(), is("0:0:0:0:0:0:0:1/128"));
    }

    @Test
    void aPrefixPastTheAddressLengthOrHostBitsOrANameAreRefused() {
        Cidr.parse("10.0.0.0/32");
        Cidr.parse("::/128");
        for (String bad : new String[] {"10.0.0.0/33", "::/129", "10.0.0.1/8", "2001:db8::1/32", "10.0.0/8",
                "256.0.0.0/8", "localhost", "example.com/24", "10.0.0.0/", "/8", "10.0.0.0/-1", "10.0.0.0/ 8",
                "fe80::1%eth0", "", "01.2.3.4"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
            assertThat(e.getMessage(), containsString("'" + bad + "'"));
        }
    }

    @Test
    void onlyLiteralsAreAddressesSoNoNameIsEverLookedUp() {
        assertThat(Cidr.literal("192.0.2.1").isPresent(), is(true));
        assertThat(Cidr.literal("2001:DB8::1").map(InetAddress::getHostAddress), is(Optional.of("2001:db8:0:0:0:0:0:1")));
        for (String name : new String[] {"localhost", "dead.beef", "cafe", "1.2.3", "0x7f.0.0.1", "::g", ".1:2", "1.2.3.4.5",
                "unknown", "_hidden"}) {
            assertThat(name, Cidr.literal(name), is(Optional.empty()));
        }
    }
}
