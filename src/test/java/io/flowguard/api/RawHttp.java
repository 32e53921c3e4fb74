package io.flowguard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Requests exactly as given (method, raw path with query, headers, body bytes), with no client
 * library deciding content types or encodings: what a hostile caller would send. Where the bytes
 * themselves matter, {@link #exchange} writes them to a plain socket.
 */
final class RawHttp {

    /** A reply. */
    record Reply(int status, String contentType, String body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RawHttp() {
    }

    static Reply send(URI base, String method, String pathAndQuery, Map<String, String> headers, String body) {
        URI uri = URI.create(base.toString().replaceAll("/$", "") + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A POST over a plain socket whose body is exactly these bytes (no client library re-encodes
     * them), with {@code Content-Length} and {@code Connection: close}.
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
     * Content-Length, its chunks, or up to the close).
     */
    static Reply exchange(URI base, byte[] request) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String[] lines = head(in).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            String contentType = "";
            long length = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).strip();
                switch (name) {
                    case "content-type" -> contentType = value;
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                    default -> { }
                }
            }
            byte[] body = chunked ? chunks(in) : length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
            return new Reply(status, contentType, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed inside the reply's head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the connection closed inside a chunk size");
                }
                if (b != '\r') {
                    size.append((char) b);
                }
            }
            int n = Integer.parseInt(size.toString().split(";")[0].strip(), 16);
            if (n == 0) {
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(n));
            in.readNBytes(2);
        }
    }
}
