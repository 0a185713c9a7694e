package dev.eventpipeline.embedded.clickhouse;

import dev.eventpipeline.embedded.DebianPackages;
import dev.eventpipeline.embedded.ManagedProcess;
import dev.eventpipeline.embedded.PortCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local ClickHouse server from Debian's {@code clickhouse-server} package (18.16 on bookworm),
 * daemonised with its configuration, data, logs and pid file in one work directory. A server left
 * running by an earlier start of the same directory is reused; data survives stop/start.
 *
 * <p>Runs as whoever starts it (root on CI): with every directory under the work directory and
 * owned by that user, 18.16 starts without complaint and answers {@code SELECT 1} in ≈0.2 s.
 */
public final class ClickHouseServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClickHouseServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REUSE_PROBE = Duration.ofSeconds(5);
    private static final int LOG_TAIL_CHARS = 4000;

    private final ClickHouseConfig config;
    private final ManagedProcess process;

    private ClickHouseServer(ClickHouseConfig config) {
        this.config = config;
        this.process = new ManagedProcess("clickhouse-server", config.pidFile());
    }

    /**
     * Starts (or reuses) the server of {@code workDir} listening on 127.0.0.1 only.
     *
     * @throws IOException if the package cannot be installed, a port is taken by another process, or
     *                     the server does not answer within 30 s (the message carries its error log)
     */
    public static ClickHouseServer start(Path workDir, int httpPort, int tcpPort) throws IOException {
        ClickHouseConfig config = new ClickHouseConfig(workDir, httpPort, tcpPort);
        ClickHouseServer server = new ClickHouseServer(config);
        for (Path dir : List.of(config.workDir(), config.dataDir(), config.tmpDir(), config.userFilesDir(),
                config.formatSchemaDir(), config.logDir())) {
            Files.createDirectories(dir);
        }
        if (server.process.isAlive()) {
            writeIfChanged(config.configFile(), config.renderConfig());
            writeIfChanged(config.usersFile(), config.renderUsers());
            if (server.awaitAnswer(REUSE_PROBE)) {
                log.info("ClickHouse already running at {} ({}), reusing it", server.url(), server.process);
                return server;
            }
            log.warn("ClickHouse from an earlier run of {} ({}) does not answer on port {}: restarting it",
                    workDir, server.process, httpPort);
            server.process.stop(STOP_TIMEOUT);
        }
        for (int port : new int[]{httpPort, tcpPort}) {
            if (PortCheck.isListening("127.0.0.1", port)) {
                throw new IOException("cannot start ClickHouse: port " + port + " on 127.0.0.1 is already in use "
                        + "by another process");
            }
        }
        Path binary = DebianPackages.ensureInstalled("clickhouse-server", "clickhouse-server", "clickhouse-client");
        writeIfChanged(config.configFile(), config.renderConfig());
        writeIfChanged(config.usersFile(), config.renderUsers());
        Files.deleteIfExists(config.pidFile());

        long started = System.nanoTime();
        Path launcherLog = config.logDir().resolve("launcher.log");
        Process launcher = new ProcessBuilder(List.of(binary.toString(), "--daemon",
                "--pid-file=" + config.pidFile(), "--config-file=" + config.configFile()))
                .directory(config.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launcherLog.toFile()))
                .start();
        try {
            // --daemon forks and the parent returns at once; the child writes the pid file.
            if (!launcher.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                launcher.destroyForcibly();
                throw new IOException("clickhouse-server --daemon did not return within " + START_TIMEOUT
                        + server.logTail());
            }
            if (launcher.exitValue() != 0) {
                throw new IOException("clickhouse-server --daemon exited with " + launcher.exitValue() + server.logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting ClickHouse", e);
        }
        server.awaitStarted(started);
        log.info("ClickHouse listening at {} ({}, data in {}) after {} ms", server.url(), server.process,
                config.dataDir(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return server;
    }

    private void awaitStarted(long startedNanos) throws IOException {
        long deadline = startedNanos + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return;
            }
            // The daemon writes its pid file early; without one after a few seconds it has died
            // (port taken, bad config...) and waiting the full timeout would only hide the reason.
            boolean gracePassed = System.nanoTime() - startedNanos > TimeUnit.SECONDS.toNanos(3);
            if (gracePassed && !process.isAlive()) {
                throw new IOException("ClickHouse exited during start" + logTail());
            }
            sleep(50);
        }
        throw new IOException("ClickHouse did not answer SELECT 1 at " + url() + " within " + START_TIMEOUT + logTail());
    }

    private boolean awaitAnswer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (answers()) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private boolean answers() {
        try {
            return "1".equals(query("SELECT 1").trim());
        } catch (IOException e) {
            return false;
        }
    }

    /** Base URL of the HTTP interface, e.g. {@code http://127.0.0.1:8123}. */
    public String url() {
        return "http://127.0.0.1:" + config.httpPort();
    }

    public int httpPort() {
        return config.httpPort();
    }

    public int tcpPort() {
        return config.tcpPort();
    }

    public Path workDir() {
        return config.workDir();
    }

    /** True while the daemon named in the pid file is alive. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** SIGTERM and wait (ClickHouse needs ≈2.5 s); SIGKILL after 30 s. */
    public void stop() {
        if (process.isAlive()) {
            process.stop(STOP_TIMEOUT);
            log.info("ClickHouse stopped ({})", config.workDir());
        }
    }

    /** SIGKILL, for fault-injection tests; returns once the process is gone. */
    public void kill() {
        process.handle().ifPresent(h -> {
            h.destroyForcibly();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("ClickHouse (pid {}) still alive 10 s after SIGKILL", h.pid());
            }
        });
    }

    /**
     * Runs one statement over HTTP (POST, body = SQL, one connection per call) and returns the
     * response body.
     *
     * @throws IOException with ClickHouse's error text when the status is not 200, or when the server
     *                     cannot be reached
     */
    public String query(String sql) throws IOException {
        // HTTP/1.0 over a plain socket: the connection closes after each answer. An idle keep-alive
        // connection (java.net.http keeps them for 20 minutes) makes ClickHouse wait for it on SIGTERM.
        byte[] body = sql.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", config.httpPort()), 2_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.0\r\nHost: 127.0.0.1:" + config.httpPort()
                    + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            byte[] response = socket.getInputStream().readAllBytes();
            int headerEnd = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (headerEnd < 0) {
                throw new IOException("ClickHouse closed the connection without a complete answer to '"
                        + abbreviate(sql) + "'");
            }
            String head = new String(response, 0, headerEnd, StandardCharsets.ISO_8859_1);
            String text = new String(response, headerEnd + 4, response.length - headerEnd - 4, StandardCharsets.UTF_8);
            int status = status(head);
            if (status != 200) {
                throw new IOException("ClickHouse answered HTTP " + status + " to '" + abbreviate(sql) + "': " + text.trim());
            }
            return text;
        }
    }

    static int status(String head) throws IOException {
        String[] statusLine = head.split("\r\n", 2)[0].split(" ", 3);
        try {
            return Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            throw new IOException("not an HTTP answer: " + head.split("\r\n", 2)[0]);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ClickHouseServer[" + url() + ", " + process + "]";
    }

    private String logTail() {
        StringBuilder out = new StringBuilder();
        for (Path file : List.of(config.errorLogFile(), config.logDir().resolve("stderr.log"),
                config.logDir().resolve("launcher.log"))) {
            String tail = tail(file);
            if (!tail.isBlank()) {
                out.append("\n--- ").append(file).append(" (tail) ---\n").append(tail);
            }
        }
        return out.length() == 0 ? " (no server log written in " + config.logDir() + ")" : out.toString();
    }

    static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() <= LOG_TAIL_CHARS ? text : "..." + text.substring(text.length() - LOG_TAIL_CHARS);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void writeIfChanged(Path file, String content) throws IOException {
        // ClickHouse watches its config files and reloads them; rewriting identical content would
        // only trigger a needless reload of a server that is being reused.
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for ClickHouse");
        }
    }
}
