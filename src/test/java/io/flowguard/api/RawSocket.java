package io.flowguard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, the request head written byte for byte: for what
 * an HTTP client library will not send, such as a {@code Host} header naming another server.
 * The reply is read by its own framing ({@code Content-Length} or chunked); the request asks
 * {@code Connection: close}.
 */
final class RawSocket {

    /** A reply: status, headers by lower-case name (the last of repeated ones), body. */
    record Reply(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawSocket() {
    }

    /**
     * @param base    the server (only its host and port are used)
     * @param head    request line and headers, lines ending in CRLF, without the final empty line
     *                and without {@code Content-Length} or {@code Connection}
     * @param body    the body, or null for none
     * @return the reply
     */
    static Reply send(URI base, String head, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String request = head + (body == null ? "" : "Content-Length: " + content.length + "\r\n")
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply read(InputStream in) throws IOException {
        String[] lines = line(in, "\r\n\r\n").split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                body.write(in.readNBytes(size));
                line(in, "\r\n");
            }
        }
        return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static int chunkSize(InputStream in) throws IOException {
        return Integer.parseInt(line(in, "\r\n").split(";")[0].strip(), 16);
    }

    /** Reads up to the terminator (consumed, not returned). */
    private static String line(InputStream in, String terminator) throws IOException {
        StringBuilder text = new StringBuilder();
        while (text.length() < terminator.length()
                || !text.substring(text.length() - terminator.length()).equals(terminator)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + text.length() + " bytes of a line");
            }
            text.append((char) b);
        }
        return text.substring(0, text.length() - terminator.length());
    }
}
