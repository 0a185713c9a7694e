package dev.eventpipeline.embedded.redis;

import dev.eventpipeline.embedded.DebianPackages;
import dev.eventpipeline.embedded.ManagedProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A local Redis server from Debian's {@code redis-server} package, daemonised with its pid, log
 * and append-only file in one work directory. A server left running by an earlier start of the
 * same directory is reused.
 */
public final class RedisServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);

    private final int port;
    private final ManagedProcess process;

    private RedisServer(int port, ManagedProcess process) {
        this.port = port;
        this.process = process;
    }

    public static RedisServer start(Path workDir, int port) throws IOException {
        Files.createDirectories(workDir);
        Path pidFile = workDir.resolve("redis.pid");
        ManagedProcess process = new ManagedProcess("redis-server", pidFile);
        RedisServer server = new RedisServer(port, process);
        if (process.isAlive() && server.ping()) {
            log.info("Redis already running on 127.0.0.1:{} ({}), reusing it", port, process);
            return server;
        }
        Path binary = DebianPackages.ensureInstalled("redis-server", "redis-server");
        List<String> cmd = List.of(binary.toString(),
                "--daemonize", "yes",
                "--bind", "127.0.0.1",
                "--port", String.valueOf(port),
                "--dir", workDir.toAbsolutePath().toString(),
                "--pidfile", pidFile.toAbsolutePath().toString(),
                "--logfile", workDir.resolve("redis.log").toAbsolutePath().toString(),
                "--save", "",
                "--appendonly", "yes",
                "--appendfsync", "everysec");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("redis-server failed to start: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        server.awaitPing(Duration.ofSeconds(10), workDir.resolve("redis.log"));
        log.info("Redis listening on 127.0.0.1:{} (data in {})", port, workDir);
        return server;
    }

    private void awaitPing(Duration timeout, Path logFile) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ping()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        String tail = Files.exists(logFile) ? Files.readString(logFile) : "(no log)";
        throw new IOException("Redis did not answer PING on port " + port + " within " + timeout + "; log:\n" + tail);
    }

    /** True when the server answers {@code PING} with {@code +PONG}. */
    public boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's pid (from its pid file), or -1 when it is not running. */
    public long pid() {
        return process.handle().map(ProcessHandle::pid).orElse(-1L);
    }

    public void stop() {
        process.stop(Duration.ofSeconds(10));
        log.info("Redis stopped");
    }

    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        stop();
    }
}
