package dev.eventpipeline.gateway.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Up when Redis answers {@code PING} with {@code +PONG} (the probe needs no client library). */
public final class RedisProbe implements DependencyProbe {
    private final String host;
    private final int port;

    /** @param url {@code redis://host:port} */
    public RedisProbe(String url) {
        URI uri = URI.create(url);
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Check check() {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = in.readNBytes(7);
            String answer = new String(buf, StandardCharsets.US_ASCII).strip();
            return answer.equals("+PONG") ? Check.up(name(), host + ":" + port + " PONG", KafkaProbe.millisSince(t0))
                    : Check.down(name(), host + ":" + port + " answered " + answer, KafkaProbe.millisSince(t0));
        } catch (IOException e) {
            return Check.down(name(), host + ":" + port + " unreachable: " + e.getMessage(), KafkaProbe.millisSince(t0));
        }
    }
}
