package dev.eventpipeline.reliability.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slow-loris clients: HTTP connections that send their request head one byte at a time, and WebSocket
 * connections that upgrade properly and then trickle one frame byte by byte, all from one thread (a
 * byte every {@code intervalMs} on each connection). Counts connections the server has closed.
 */
final class SlowLoris implements AutoCloseable {
    private final List<Conn> conns = new ArrayList<>();
    private final Thread thread;
    private final AtomicInteger closedByServer = new AtomicInteger();
    private volatile boolean running = true;

    private static final class Conn {
        final Socket socket;
        final byte[] trickle;
        int at;
        boolean closed;

        Conn(Socket socket, byte[] trickle) {
            this.socket = socket;
            this.trickle = trickle;
        }
    }

    SlowLoris(String host, int port, int httpConnections, int wsConnections, long intervalMs) throws IOException {
        for (int i = 0; i < httpConnections; i++) {
            Socket s = open(host, port);
            String head = "POST /events HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "X-Slow-" + i + ": " + "a".repeat(4000) + "\r\n\r\n";
            conns.add(new Conn(s, head.getBytes(StandardCharsets.US_ASCII)));
        }
        for (int i = 0; i < wsConnections; i++) {
            Socket s = open(host, port);
            upgrade(s, host, port);
            conns.add(new Conn(s, maskedTextFrame("[" + "{\"eventId\":\"slow\"}".repeat(1) + "]")));
        }
        thread = new Thread(() -> loop(intervalMs), "slow-loris");
        thread.setDaemon(true);
        thread.start();
    }

    private static Socket open(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(1);
        return s;
    }

    private static void upgrade(Socket s, String host, int port) throws IOException {
        String key = Base64.getEncoder().encodeToString("slow-loris-key-1".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(("GET /events/stream HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("upgrade refused: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head);
        }
        s.setSoTimeout(1);
    }

    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    private void loop(long intervalMs) {
        byte[] sink = new byte[4096];
        while (running) {
            for (Conn c : conns) {
                if (c.closed) {
                    continue;
                }
                try {
                    OutputStream out = c.socket.getOutputStream();
                    // One byte; the last one is held back forever so the request/frame never completes.
                    if (c.at < c.trickle.length - 1) {
                        out.write(c.trickle[c.at++]);
                        out.flush();
                    }
                    try {
                        if (c.socket.getInputStream().read(sink) < 0) {
                            markClosed(c);
                        }
                    } catch (java.net.SocketTimeoutException ignored) {
                        // nothing from the server: still open
                    }
                } catch (IOException e) {
                    markClosed(c);
                }
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void markClosed(Conn c) {
        c.closed = true;
        closedByServer.incrementAndGet();
    }

    int connections() {
        return conns.size();
    }

    int closedByServer() {
        return closedByServer.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        for (Conn c : conns) {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
