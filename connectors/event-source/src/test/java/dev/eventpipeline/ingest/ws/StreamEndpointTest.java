package dev.eventpipeline.ingest.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.ingest.TestEvents;
import dev.eventpipeline.ingest.WsClient;
import dev.eventpipeline.ingest.ack.Admission;
import dev.eventpipeline.ingest.ack.EventSink;
import dev.eventpipeline.ingest.ack.InFlight;
import dev.eventpipeline.ingest.ack.Outcome;
import dev.eventpipeline.ingest.auth.ApiKeyAuthenticator;
import dev.eventpipeline.ingest.http.HttpListener;
import dev.eventpipeline.ingest.protocol.EventParser;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import dev.eventpipeline.ingest.stats.IngestStats;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StreamEndpointTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** Plays Kafka's producer I/O thread: outcomes arrive on it, in admission order. */
    private final ExecutorService producer = Executors.newSingleThreadExecutor();
    private HttpListener listener;

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.stop();
        }
        scheduler.shutdownNow();
        producer.shutdownNow();
    }

    /** A task buffer of {@code capacity} events: admits a group whole or answers QUEUE_FULL, like the task. */
    private static final class BoundedSink implements EventSink {
        final InFlight permits;
        final ExecutorService producer;
        final AtomicInteger queueFull = new AtomicInteger();
        final AtomicLong offsets = new AtomicLong();
        /** While closed, outcomes wait (Kafka is slow); opening it lets them through. */
        volatile CountDownLatch gate = new CountDownLatch(0);

        BoundedSink(int capacity, ExecutorService producer) {
            this.permits = new InFlight(capacity, 60_000);
            this.producer = producer;
        }

        @Override
        public Admission submit(List<ReceivedEvent> events, OutcomeCallback onOutcome) {
            if (!permits.tryReserve(events.size())) {
                queueFull.incrementAndGet();
                return Admission.QUEUE_FULL;
            }
            CountDownLatch g = gate;
            producer.execute(() -> {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (ThreadLocalRandom.current().nextInt(4) == 0) {
                    sleepQuietly();
                }
                for (int i = 0; i < events.size(); i++) {
                    permits.answered();
                    onOutcome.onOutcome(i, new Outcome.Accepted("raw", 0, offsets.getAndIncrement()));
                }
            });
            return Admission.QUEUED;
        }

        @Override
        public void whenRoomFor(int events, Runnable retry) {
            permits.whenRoomFor(events, retry);
        }

        private static void sleepQuietly() {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int start(EventSink sink, int maxInflight) throws Exception {
        return start(sink, maxInflight, scheduler);
    }

    private int start(EventSink sink, int maxInflight, ScheduledExecutorService timers) throws Exception {
        var settings = new StreamEndpoint.Settings(maxInflight, 60_000, 0, 1 << 20);
        var factory = new StreamEndpoint.Factory(sink, new EventParser(32_768, 1_000),
                new ApiKeyAuthenticator(List.of()), new IngestStats(), timers, settings);
        listener = new HttpListener("ws-test", "127.0.0.1", 0, 30_000, new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                return false;
            }
        }, factory, settings, null);
        listener.start();
        return listener.port();
    }

    /**
     * A full buffer makes a frame wait and be retried. Acks of earlier frames keep arriving meanwhile; they
     * must not resume reading while a frame waits, or a second waiting frame replaces the first and the
     * first one's events are never answered (seen under load: 400 of 104,800 events without an ack).
     */
    @Test
    @Timeout(60)
    void everyEventIsAnsweredOnceWhenTheBufferIsFullMostOfTheTime() throws Exception {
        BoundedSink sink = new BoundedSink(12, producer);
        int port = start(sink, 1_000);
        int frames = 1_500;
        int perFrame = 5;
        try (WsClient client = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream")) {
            for (int f = 0; f < frames; f++) {
                StringBuilder frame = new StringBuilder("[");
                for (int i = 0; i < perFrame; i++) {
                    frame.append(i == 0 ? "" : ",").append(TestEvents.event("e-" + f + "-" + i));
                }
                client.send(frame.append(']').toString());
            }
            List<JsonNode> acks = client.take(frames * perFrame);
            Map<String, Integer> seen = new HashMap<>();
            for (JsonNode ack : acks) {
                assertThat(ack.path("status").asText()).isEqualTo("accepted");
                seen.merge(ack.path("eventId").asText(), 1, Integer::sum);
            }
            assertThat(sink.queueFull.get()).as("the buffer was full at times").isPositive();
            assertThat(seen).as("one ack per event").hasSize(frames * perFrame);
            assertThat(seen.values()).containsOnly(1);
            assertThat(client.acks.poll(200, TimeUnit.MILLISECONDS)).as("no extra ack").isNull();
        }
    }

    /**
     * A frame that found the buffer full is retried when the sink frees room for it, not only by the
     * fallback timer: here the timer never fires, so the second frame is answered only through the wake-up.
     */
    @Test
    @Timeout(30)
    void aWaitingFrameIsRetriedAsSoonAsTheSinkHasRoom() throws Exception {
        ScheduledExecutorService noFallback = new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
            @Override
            public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                return super.schedule(() -> { }, delay, unit); // the admission retry timer never runs
            }
        };
        try {
            BoundedSink sink = new BoundedSink(3, producer);
            sink.gate = new CountDownLatch(1);
            int port = start(sink, 1_000, noFallback);
            try (WsClient client = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream")) {
                client.send("[" + TestEvents.event("a1") + "," + TestEvents.event("a2") + "," + TestEvents.event("a3") + "]");
                client.send("[" + TestEvents.event("b1") + "," + TestEvents.event("b2") + "]");
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> sink.queueFull.get() > 0 && sink.permits.waiting() == 1);
                assertThat(client.acks.poll(200, TimeUnit.MILLISECONDS)).as("nothing answered while Kafka is slow").isNull();

                sink.gate.countDown();
                List<JsonNode> acks = client.take(5);
                assertThat(acks).extracting(a -> a.path("eventId").asText())
                        .containsExactly("a1", "a2", "a3", "b1", "b2");
                assertThat(acks).extracting(a -> a.path("status").asText()).containsOnly("accepted");
            }
        } finally {
            noFallback.shutdownNow();
        }
    }

    /** The acks of one frame come back in the frame's order, as one array. */
    @Test
    @Timeout(30)
    void acksOfAFrameComeInFrameOrder() throws Exception {
        int port = start(new BoundedSink(1_000, producer), 1_000);
        try (WsClient client = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream")) {
            client.send("[" + TestEvents.event("a") + "," + TestEvents.event("b") + ",{\"oops\":1}," + TestEvents.event("c") + "]");
            List<JsonNode> acks = client.take(4);
            assertThat(acks).extracting(a -> a.path("status").asText())
                    .containsExactly("accepted", "accepted", "invalid", "accepted");
            assertThat(acks).extracting(a -> a.path("eventId").asText(null))
                    .containsExactly("a", "b", null, "c");
        }
    }
}
