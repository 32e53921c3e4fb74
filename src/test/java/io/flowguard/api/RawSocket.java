package io.flowguard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, the request written byte for byte: for what an HTTP client
 * library will not send (a {@code Host} naming another server, smuggling shapes, a body's exact
 * bytes) and for framing, where the test must see what the server writes back and when it closes.
 * One place reads replies off the wire, by their own framing ({@code Content-Length} or chunked).
 */
final class RawSocket {

    /**
     * A reply: status, headers by lower-case name (repeated ones joined with ", "), body.
     *
     * @param framed true when the reply carried a {@code Content-Length} or was chunked
     */
    record Reply(int status, Map<String, String> headers, String body, boolean framed) {

        /** @return the header's value, or "" when the reply has none */
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        /** @return the Content-Type, or "" when the reply has none */
        String contentType() {
            return header("Content-Type");
        }
    }

    /**
     * What came back for bytes that may hold several requests.
     *
     * @param replies every reply read, in order
     * @param closed  true when the server closed the connection (EOF or reset) after them
     */
    record Exchange(List<Reply> replies, boolean closed) {
    }

    private RawSocket() {
    }

    /**
     * One request from its head, with {@code Content-Length} (when there is a body) and
     * {@code Connection: close} added.
     *
     * @param base the server (only its host and port are used)
     * @param head request line and headers, lines ending in CRLF, without the final empty line
     *             and without {@code Content-Length} or {@code Connection}
     * @param body the body, or null for none
     * @return the reply
     */
    static Reply send(URI base, String head, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((head + (body == null ? "" : "Content-Length: " + content.length + "\r\n")
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(content);
        return exchange(base, request.toByteArray());
    }

    /**
     * A POST whose body is exactly these bytes (no client library re-encodes them), with
     * {@code Content-Length} and {@code Connection: close}.
     *
     * @param contentType the Content-Type header, or null for none
     */
    static Reply postBytes(URI base, String path, String token, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort() + "\r\nAuthorization: Bearer " + token + "\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        return exchange(base, request.toByteArray());
    }

    /**
     * Writes the bytes to a new connection as they are and reads one reply (by its
     * Content-Length, its chunks, or, with neither, up to the close).
     */
    static Reply exchange(URI base, byte[] request) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            Reply reply = read(in);
            if (reply == null) {
                throw new IOException("the connection closed before a reply");
            }
            if (!reply.framed()) {
                reply = new Reply(reply.status(), reply.headers(),
                        reply.body() + new String(in.readAllBytes(), StandardCharsets.UTF_8), false);
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the bytes in one write, then reads replies until the server closes the connection or
     * stays silent for {@code quietMillis} (then {@code closed} is false). A reply without framing
     * is read as having no body.
     */
    static Exchange exchangeAll(URI base, String bytes, int quietMillis) {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(quietMillis);
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            List<Reply> replies = new ArrayList<>();
            while (true) {
                Reply r;
                try {
                    r = read(in);
                } catch (SocketTimeoutException e) {
                    return new Exchange(replies, false);
                } catch (IOException resetOrClosedInsideAReply) {
                    return new Exchange(replies, true);
                }
                if (r == null) {
                    return new Exchange(replies, true);
                }
                replies.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens a connection and sends the bytes, leaving it open: for a stream or a waiting read the
     * test holds, reads the status line of ({@link #statusLine}) and then abandons.
     */
    static Socket open(URI base, String request) {
        try {
            Socket socket = new Socket("127.0.0.1", base.getPort());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the next line the server writes on the connection (the reply's status line), or "" at EOF */
    static String statusLine(Socket socket) {
        try {
            String line = line(socket.getInputStream());
            return line == null ? "" : line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one reply: its head, then its body by its framing (none without framing).
     *
     * @return the reply, or null at EOF before any byte of one
     * @throws IOException when the connection fails or closes inside the head
     */
    static Reply read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        String[] status = statusLine.split(" ");
        if (!statusLine.startsWith("HTTP/") || status.length < 2) {
            throw new IOException("not a status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        for (h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.merge(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        if (h == null) {
            throw new IOException("the connection closed inside the reply's head");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean framed = true;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            framed = false;
        }
        return new Reply(Integer.parseInt(status[1]), headers, body.toString(StandardCharsets.UTF_8), framed);
    }

    private static int chunkSize(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new IOException("the connection closed inside a chunk size");
        }
        return Integer.parseInt(line.split(";")[0].strip(), 16);
    }

    /** @return the next line without its CRLF (or LF), or null at EOF before any byte of it */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
