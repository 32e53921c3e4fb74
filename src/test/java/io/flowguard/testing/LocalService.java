package io.flowguard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP/1.1 server on a loopback port, standing in for a service flows call (billing, a
 * media planner): it reads each request whole, records it, and then does what the test
 * scripted: answer with a status and body, reset the connection, or hang. Raw sockets rather
 * than a library server, because a test needs resets and hangs a well-behaved server never does.
 */
public final class LocalService implements AutoCloseable {

    /** What the server does with one request. */
    public sealed interface Behaviour permits Reply, Reset, Hang {
    }

    /**
     * Answers.
     *
     * @param status the status code
     * @param body   the JSON body
     */
    public record Reply(int status, String body) implements Behaviour {
    }

    /** Reads the request, then resets the connection (RST) without a byte of reply. */
    public record Reset() implements Behaviour {
    }

    /** Reads the request and never answers. */
    public record Hang() implements Behaviour {
    }

    /**
     * One request as received.
     *
     * @param nanos   when it had been read (System.nanoTime)
     * @param method  the method
     * @param path    the request target
     * @param headers the headers, names lower-cased
     * @param body    the body
     */
    public record Request(long nanos, String method, String path, Map<String, String> headers, String body) {
        /** @return the Idempotency-Key header, or null */
        public String idempotencyKey() {
            return headers.get("idempotency-key");
        }
    }

    private final ServerSocket server;
    private final Queue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Behaviour> otherwise;

    private LocalService(int port, Function<Request, Behaviour> otherwise) throws IOException {
        this.server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        this.otherwise = otherwise;
        Thread.ofVirtual().name("local-service-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /**
     * @param otherwise what to do with a request once the script is used up
     * @return a server on a free port
     */
    public static LocalService start(Function<Request, Behaviour> otherwise) {
        return startOn(0, otherwise);
    }

    /**
     * @param port      the port (0: any free one)
     * @param otherwise what to do with a request once the script is used up
     * @return the server
     */
    public static LocalService startOn(int port, Function<Request, Behaviour> otherwise) {
        try {
            return new LocalService(port, otherwise);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a local service", e);
        }
    }

    /** @return a loopback port nothing listens on (connections to it are refused) */
    public static int closedPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the server's base URL */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * @param next behaviours for the next requests, in order
     * @return this
     */
    public LocalService then(Behaviour... next) {
        script.addAll(List.of(next));
        return this;
    }

    /** @param behaviour what to do once the script is used up */
    public void otherwise(Function<Request, Behaviour> behaviour) {
        this.otherwise = behaviour;
    }

    /** @return every request received so far, in arrival order */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests and the script. */
    public void reset() {
        requests.clear();
        script.clear();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            Request request = read(socket.getInputStream());
            if (request == null) {
                return;
            }
            requests.add(request);
            Behaviour behaviour = script.poll();
            if (behaviour == null) {
                behaviour = otherwise.apply(request);
            }
            switch (behaviour) {
                case Reply r -> write(socket.getOutputStream(), r);
                case Reset r -> {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
                case Hang h -> socket.getInputStream().read();
            }
        } catch (IOException gone) {
            // the client went away or the server closed
        } finally {
            open.remove(socket);
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 65_536) {
                throw new IOException("request head too large");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Request(System.nanoTime(), requestLine[0], requestLine[1], headers,
                new String(body, StandardCharsets.UTF_8));
    }

    private static void write(OutputStream out, Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + reply.status() + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** @return the gaps between consecutive requests, in milliseconds */
    public List<Long> gapsMillis() {
        List<Request> all = requests();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < all.size(); i++) {
            gaps.add((all.get(i).nanos() - all.get(i - 1).nanos()) / 1_000_000);
        }
        return gaps;
    }
}
