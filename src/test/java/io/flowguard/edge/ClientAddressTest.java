package io.flowguard.edge;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Who the client is, from the TCP peer and, behind a trusted proxy only, the hops it reports. */
class ClientAddressTest {

    private static final ClientAddress BEHIND_PROXIES =
            new ClientAddress(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:ffff::/48")));
    private static final InetAddress PROXY = Cidr.literal("10.0.0.2").orElseThrow();

    private static String xff(ClientAddress clients, InetAddress peer, String... lines) {
        return clients.of(peer, List.of(), List.of(lines));
    }

    private static String forwarded(String... lines) {
        return BEHIND_PROXIES.of(PROXY, List.of(lines), List.of());
    }

    @Test
    void withoutTrustedProxiesTheHeadersAreIgnored() {
        ClientAddress direct = new ClientAddress(List.of());
        assertThat(direct.of(PROXY, List.of("for=198.51.100.1"), List.of("198.51.100.2")), is("10.0.0.2"));
        InetAddress stranger = Cidr.literal("203.0.113.5").orElseThrow();
        assertThat("a peer that is not trusted", xff(BEHIND_PROXIES, stranger, "198.51.100.2"), is("203.0.113.5"));
    }

    @Test
    void theRightmostHopThatIsNotATrustedProxyIsTheClient() {
        assertThat(xff(BEHIND_PROXIES, PROXY, "198.51.100.7"), is("198.51.100.7"));
        assertThat("what the client wrote itself is not believed",
                xff(BEHIND_PROXIES, PROXY, "1.1.1.1, 198.51.100.7"), is("198.51.100.7"));
        assertThat("trusted hops are passed over", xff(BEHIND_PROXIES, PROXY, "1.1.1.1, 198.51.100.7, 10.1.2.3"),
                is("198.51.100.7"));
        assertThat("header lines read as one list", xff(BEHIND_PROXIES, PROXY, "1.1.1.1, 198.51.100.7", "10.1.2.3"),
                is("198.51.100.7"));
        assertThat("every hop trusted: the first", xff(BEHIND_PROXIES, PROXY, "10.9.9.9, 10.1.2.3"), is("10.9.9.9"));
        assertThat("with a port", xff(BEHIND_PROXIES, PROXY, "198.51.100.7:4711"), is("198.51.100.7"));
        assertThat("IPv6, bare or bracketed", xff(BEHIND_PROXIES, PROXY, "2001:db8::7, [2001:db8:ffff::1]:443"),
                is("2001:db8:0:0:0:0:0:7"));
    }

    @Test
    void theForwardedHeaderIsReadTheSameWay() {
        assertThat(forwarded("for=198.51.100.7;proto=https"), is("198.51.100.7"));
        assertThat(forwarded("for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.3.3.3"),
                is("2001:db8:cafe:0:0:0:0:17"));
        assertThat(forwarded("for=1.1.1.1", "For=\"198.51.100.7:80\";by=10.0.0.2"), is("198.51.100.7"));
    }

    @Test
    void aHopThatIsNotAnAddressOrTwoHeadersAtOnceLeaveThePeerAsTheClient() {
        for (String hop : new String[] {"unknown", "_hidden", "evil.example", "", "198.51.100.7 junk", "1.2.3"}) {
            assertThat(hop, xff(BEHIND_PROXIES, PROXY, "1.1.1.1, " + hop), is("10.0.0.2"));
        }
        assertThat(forwarded("for=unknown"), is("10.0.0.2"));
        assertThat("an element without for=", forwarded("for=198.51.100.7, proto=https"), is("10.0.0.2"));
        assertThat("malformed", forwarded("198.51.100.7"), is("10.0.0.2"));
        assertThat("malformed", forwarded("for=198.51.100.7;;by=x"), is("10.0.0.2"));
        assertThat("both headers: one of them came from the client unchecked",
                BEHIND_PROXIES.of(PROXY, List.of("for=198.51.100.7"), List.of("198.51.100.8")), is("10.0.0.2"));
        assertThat(BEHIND_PROXIES.of(null, List.of(), List.of()), is("unknown"));
    }
}
