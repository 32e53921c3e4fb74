package io.flowguard.edge;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.http.Forwarded;

/**
 * Who the client is, for the per-address rate limit and the audit log. The TCP peer, unless the
 * peer is one of {@code flowguard.http.trusted-proxies}: then the hops its forwarding header lists
 * ({@code Forwarded: for=}, RFC 7239, or {@code X-Forwarded-For}) are read from the right, past
 * every trusted proxy, and the first one that is not a trusted proxy is the client. Hops further
 * left were written by the client itself and are never believed.
 *
 * <p>A header from a peer that is not trusted is ignored whole: anyone can send one, and a
 * client that could name its own address could give itself a fresh failure budget with every
 * request. Where a trusted peer's headers cannot be read as addresses (both headers present, so
 * one of them was passed through from the client unchecked; a hop that is {@code unknown}, an
 * obfuscated name or malformed), the peer itself is taken: it is the nearest address vouched
 * for. Addresses are read as literals only, never looked up in DNS.
 */
public final class ClientAddress {

    private static final Pattern IPV4_WITH_PORT = Pattern.compile("([0-9.]+):[0-9]{1,5}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)\\](:[0-9]{1,5})?");

    private final List<Cidr> trustedProxies;

    /**
     * @param trustedProxies the blocks whose addresses are proxies that report the client (may be empty)
     */
    public ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * @param peer          the TCP peer's address, or null when the connection has none
     * @param forwarded     the {@code Forwarded} header lines, in order
     * @param xForwardedFor the {@code X-Forwarded-For} header lines, in order
     * @return the client's address as text ({@link InetAddress#getHostAddress()}), or {@code unknown}
     */
    public String of(InetAddress peer, List<String> forwarded, List<String> xForwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        boolean one = forwarded.isEmpty() != xForwardedFor.isEmpty();
        if (!trusted(peer) || !one) {
            return peer.getHostAddress();
        }
        Optional<List<String>> hops = forwarded.isEmpty() ? Optional.of(split(xForwardedFor)) : forwardedFor(forwarded);
        if (hops.isEmpty()) {
            return peer.getHostAddress();
        }
        InetAddress client = peer;
        for (int i = hops.get().size() - 1; i >= 0 && trusted(client); i--) {
            Optional<InetAddress> hop = node(hops.get().get(i));
            if (hop.isEmpty()) {
                return peer.getHostAddress();
            }
            client = hop.get();
        }
        return client.getHostAddress();
    }

    /** @return true when the address is in one of the trusted proxy blocks */
    boolean trusted(InetAddress address) {
        for (Cidr block : trustedProxies) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String hop : line.split(",")) {
                hops.add(hop.strip());
            }
        }
        return hops;
    }

    /** The {@code for=} of each element, parsed by Helidon; empty when an element is malformed or has none. */
    private static Optional<List<String>> forwardedFor(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String element : split(lines)) {
            try {
                Optional<String> node = Forwarded.create(element).forClient();
                if (node.isEmpty()) {
                    return Optional.empty();
                }
                hops.add(node.get());
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        }
        return Optional.of(hops);
    }

    /**
     * One hop as proxies write it: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1},
     * {@code [2001:db8::1]} or {@code [2001:db8::1]:4711}.
     */
    static Optional<InetAddress> node(String hop) {
        Matcher bracketed = BRACKETED.matcher(hop);
        if (bracketed.matches()) {
            return Cidr.literal(bracketed.group(1));
        }
        Matcher withPort = IPV4_WITH_PORT.matcher(hop);
        return Cidr.literal(withPort.matches() ? withPort.group(1) : hop);
    }
}
