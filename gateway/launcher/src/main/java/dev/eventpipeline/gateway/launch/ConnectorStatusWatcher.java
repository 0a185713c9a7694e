package dev.eventpipeline.gateway.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.eventpipeline.gateway.status.ConnectorState;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls Connect's {@code /connectors?expand=status} and logs one line per connector state change,
 * so the embedded shape's log says what a platform team would read from the status endpoint
 * (Connect itself is kept at WARN).
 */
public final class ConnectorStatusWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectorStatusWatcher.class);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String connectUrl;
    private final Map<String, String> lastSeen = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "connector-status-watcher");
        t.setDaemon(true);
        return t;
    });

    public ConnectorStatusWatcher(String connectUrl) {
        this.connectUrl = connectUrl;
    }

    public ConnectorStatusWatcher start(Duration interval) {
        timer.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Blocks until every named connector and all its tasks are RUNNING; fails fast on FAILED. */
    public void awaitRunning(Collection<String> names, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, ConnectorState> states = poll();
            boolean allRunning = true;
            for (String name : names) {
                ConnectorState state = states.get(name);
                if (state != null && state.isFailed()) {
                    throw new IOException("connector " + name + " failed: " + state);
                }
                allRunning &= state != null && state.isRunning();
            }
            if (allRunning) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("connectors not RUNNING within " + timeout + ": " + states);
            }
            Thread.sleep(100);
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (IOException e) {
            log.debug("status poll failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fetches the states and logs each change. */
    Map<String, ConnectorState> poll() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(connectUrl + "/connectors?expand=status"))
                .timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("GET /connectors?expand=status: HTTP " + resp.statusCode());
        }
        Map<String, ConnectorState> states = ConnectorState.parseAll(mapper.readTree(resp.body()));
        synchronized (lastSeen) {
            for (Map.Entry<String, ConnectorState> e : states.entrySet()) {
                String now = e.getValue().toString();
                String previous = lastSeen.put(e.getKey(), now);
                if (!now.equals(previous)) {
                    log.info("connector {}: {}", e.getKey(), now);
                }
            }
            lastSeen.keySet().retainAll(states.keySet());
        }
        return states;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
