package io.flowguard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real TCP relay on 127.0.0.1 in front of a server (a database), which a test cuts and
 * restores: cut closes the listening socket and resets every relayed connection, so the
 * service sees exactly what it sees when its database goes away (connections broken, new ones
 * refused); restore listens again on the same port, so the service's own URL works again.
 */
public final class TcpRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private ServerSocket listener;

    private TcpRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
    }

    /**
     * @param host the server's host
     * @param port the server's port
     * @return a relay, listening
     */
    public static TcpRelay to(String host, int port) {
        try {
            return new TcpRelay(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a relay: " + e.getMessage(), e);
        }
    }

    /** @return the port the relay listens on (the same after a restore) */
    public int port() {
        return port;
    }

    /** Makes the server unreachable: no more connections accepted, every open one reset. */
    public synchronized void cut() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closed either way
        }
        for (Socket s : open) {
            reset(s);
        }
        open.clear();
    }

    /** Makes the server reachable again, on the same port. */
    public synchronized void restore() {
        if (!listener.isClosed()) {
            return;
        }
        try {
            listener = listen(port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port + " again: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private ServerSocket listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
        Thread.ofVirtual().name("relay-accept-" + s.getLocalPort()).start(() -> accept(s));
        return s;
    }

    private void accept(ServerSocket from) {
        while (!from.isClosed()) {
            Socket client;
            try {
                client = from.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().start(() -> relay(from, client));
        }
    }

    private void relay(ServerSocket from, Socket client) {
        Socket server = new Socket();
        open.add(client);
        open.add(server);
        try {
            server.connect(target, 5_000);
            if (from.isClosed()) {
                throw new IOException("cut while connecting");
            }
        } catch (IOException e) {
            reset(client);
            reset(server);
            return;
        }
        Thread.ofVirtual().start(() -> pump(client, server));
        pump(server, client);
    }

    /** Copies one direction until either side ends, then ends both. */
    private void pump(Socket in, Socket out) {
        byte[] buffer = new byte[16_384];
        try (InputStream from = in.getInputStream(); OutputStream to = out.getOutputStream()) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException ended) {
            // one side went away: so does the other, below
        } finally {
            reset(in);
            reset(out);
        }
    }

    private void reset(Socket s) {
        open.remove(s);
        try {
            if (s.isConnected() && !s.isClosed()) {
                s.setSoLinger(true, 0); // RST, as a dead server's host would answer
            }
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
