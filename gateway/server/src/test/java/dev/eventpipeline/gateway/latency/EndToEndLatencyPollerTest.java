package dev.eventpipeline.gateway.latency;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The poller's bookkeeping against a stand-in for ClickHouse's HTTP interface (the real query runs in PipelineEndToEndIT). */
class EndToEndLatencyPollerTest {
    HttpServer clickHouse;

    @AfterEach
    void stop() {
        clickHouse.stop(0);
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void everyCompleteSecondIsReadOnceAndAFailedPollIsReadAgain() throws Exception {
        List<String> queries = new CopyOnWriteArrayList<>();
        AtomicInteger status = new AtomicInteger(200);
        clickHouse = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        clickHouse.createContext("/", exchange -> {
            queries.add(URLDecoder.decode(exchange.getRequestURI().getRawQuery().substring("query=".length()), StandardCharsets.UTF_8));
            byte[] body = "{\"latency_s\":\"0\",\"n\":\"3\"}\n{\"latency_s\":\"2\",\"n\":\"1\"}\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        clickHouse.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_000));
        EndToEndLatencyPoller poller = new EndToEndLatencyPoller("http://127.0.0.1:" + clickHouse.getAddress().getPort(),
                "event_pipeline", new LatencyMeters(registry), clock);

        poller.poll(); // nothing complete yet
        assertThat(queries).isEmpty();

        clock.now = Instant.ofEpochSecond(1_005);
        status.set(500);
        poller.poll(); // fails: the same window is read next time
        clock.now = Instant.ofEpochSecond(1_007);
        status.set(200);
        poller.poll();
        assertThat(queries).hasSize(2);
        assertThat(queries.get(0)).contains("inserted_at >= toDateTime(1000) AND inserted_at < toDateTime(1005)");
        assertThat(queries.get(1)).contains("inserted_at >= toDateTime(1000) AND inserted_at < toDateTime(1007)")
                .contains("FROM `event_pipeline`.`events_raw`", "toYYYYMM(occurred_at) >=");

        Timer timer = registry.get("pipeline.end.to.end.latency").tag("table", "events_raw").timer();
        assertThat(timer.count()).isEqualTo(4);
        assertThat(timer.max(TimeUnit.SECONDS)).isEqualTo(2.0);

        clock.now = Instant.ofEpochSecond(1_010);
        poller.poll();
        assertThat(queries.get(2)).contains("inserted_at >= toDateTime(1007) AND inserted_at < toDateTime(1010)");
    }
}
