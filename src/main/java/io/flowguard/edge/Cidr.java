package io.flowguard.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a
 * block of one). No library on the class path matches CIDR blocks (Helidon's {@code AllowList}
 * matches strings), so this is the few lines it takes: compare the first {@code prefix} bits.
 */
public final class Cidr {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** The block's first address (4 or 16 bytes). */
    private final byte[] network;
    /** How many leading bits a member shares with {@link #network}. */
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * @param text {@code address/prefix} or a bare address
     * @return the block
     * @throws IllegalArgumentException when it is not a block, or has bits set after the prefix
     *                                  (a typo such as {@code 10.0.0.1/8} is refused, not guessed at)
     */
    public static Cidr parse(String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        InetAddress address = literal(slash < 0 ? value : value.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block"));
        byte[] network = address.getAddress();
        int bits = network.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = value.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be 0.." + bits);
            }
            prefix = Integer.parseInt(length);
        }
        if (!hostBitsClear(network, prefix)) {
            throw new IllegalArgumentException("'" + text + "' has bits set after the /" + prefix + " prefix");
        }
        return new Cidr(network, prefix);
    }

    /**
     * Reads an IP address literal, never a host name: nothing here may cause a DNS lookup, since
     * the text can come from a request header.
     *
     * @param text dotted IPv4 ({@code 192.0.2.1}) or IPv6 ({@code 2001:db8::1}, no brackets, no zone)
     * @return the address, or empty when the text is not an IP address literal
     */
    public static Optional<InetAddress> literal(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            // With a ':' and only these characters, InetAddress parses an IPv6 literal or throws; it
            // resolves names only for text that cannot be a literal.
            if (text.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(text).matches()
                    && (Character.digit(text.charAt(0), 16) >= 0 || text.charAt(0) == ':')) {
                return Optional.of(InetAddress.getByName(text));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * @param address an address
     * @return true when it is in this block (an IPv4 address is never in an IPv6 block, nor the reverse)
     */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }

    private static boolean hostBitsClear(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int networkBits = Math.max(0, Math.min(8, prefix - i * 8));
            if ((bytes[i] & (0xff >> networkBits)) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
