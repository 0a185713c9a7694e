package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.ingest.ack.TrackedRecord;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupSettings;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Marks a whole poll batch in Redis in one pipelined round trip and tells the DeduplicateEvent transform
 * the result through headers ({@code event-pipeline.dedup.hash}, {@code event-pipeline.dedup.mark}), so
 * the transform decides without a round trip per event. Same Redis calls, keys and TTLs as the
 * transform's own mark: they are read from the connector's DeduplicateEvent configuration
 * ({@code transforms.<alias>.type=dev.eventpipeline.smt.DeduplicateEvent}), so there is one place to set them,
 * through the same definitions and defaults ({@link DedupSettings}), so the two cannot read them differently.
 *
 * <p>When Redis does not answer, the batch goes on without headers and the transform applies its own
 * failure mode ({@code redis.failure.mode}); after a failure the pre-mark pauses for the transform's
 * {@code redis.retry.backoff.ms}. Events invalid under their schema are marked too (the hook runs
 * before validation): their pending mark never filters anything and expires after
 * {@code dedup.pending.ttl.ms}.
 */
public final class DedupPreMarker implements PollBatchHook {
    private static final Logger log = LoggerFactory.getLogger(DedupPreMarker.class);
    static final String TRANSFORM_CLASS = "dev.eventpipeline.smt.DeduplicateEvent";

    /** The Redis side: {@link DedupStore#markAll}. */
    @FunctionalInterface
    interface Marker extends AutoCloseable {
        List<DedupStore.Mark> markAll(List<String> hashes, List<String> eventIds);

        @Override
        default void close() {
        }
    }

    private Marker marker;
    private long backoffMs;
    private long pausedUntil;
    private long lastWarn;

    public DedupPreMarker() {
    }

    /** With a given marker (tests). */
    DedupPreMarker(Marker marker, long backoffMs) {
        this.marker = marker;
        this.backoffMs = backoffMs;
    }

    @Override
    public void configure(Map<String, String> taskConfig) {
        String prefix = transformPrefix(taskConfig);
        Map<String, String> transformConfig = new HashMap<>();
        taskConfig.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                transformConfig.put(k.substring(prefix.length()), v);
            }
        });
        AbstractConfig settings;
        try {
            // The transform's own keys, defaults and checks (DedupSettings): the two cannot disagree.
            settings = DedupSettings.parse(transformConfig);
        } catch (ConfigException e) {
            throw new ConfigException("the de-duplication pre-mark reads the transform's settings (" + prefix + "*): "
                    + e.getMessage());
        }
        String keyField = settings.getString(DedupSettings.KEY_FIELD);
        if (!"eventId".equals(keyField)) {
            throw new ConfigException(prefix + DedupSettings.KEY_FIELD, keyField,
                    "the de-duplication pre-mark keys events by eventId; remove poll.batch.hook.class or key by eventId");
        }
        String url = settings.getString(DedupSettings.REDIS_URL);
        backoffMs = settings.getLong(DedupSettings.REDIS_RETRY_BACKOFF_MS);
        DedupStore store = DedupSettings.store(settings);
        marker = new Marker() {
            @Override
            public List<DedupStore.Mark> markAll(List<String> hashes, List<String> eventIds) {
                return store.markAll(hashes, eventIds);
            }

            @Override
            public void close() {
                store.close();
            }
        };
        log.info("De-duplication pre-mark on (transform {}, Redis {})", prefix, url);
    }

    /** {@code transforms.<alias>.} of the connector's DeduplicateEvent transform. */
    static String transformPrefix(Map<String, String> taskConfig) {
        return taskConfig.entrySet().stream()
                .filter(e -> e.getKey().startsWith("transforms.") && e.getKey().endsWith(".type")
                        && TRANSFORM_CLASS.equals(e.getValue()))
                .map(e -> e.getKey().substring(0, e.getKey().length() - "type".length()))
                .findFirst()
                .orElseThrow(() -> new ConfigException("poll.batch.hook.class=" + DedupPreMarker.class.getName()
                        + " needs a DeduplicateEvent transform (" + TRANSFORM_CLASS + ") on this connector"));
    }

    @Override
    public void beforeSend(List<SourceRecord> batch) {
        long now = System.currentTimeMillis();
        if (now < pausedUntil) {
            return;
        }
        List<SourceRecord> marked = new ArrayList<>(batch.size());
        List<String> hashes = new ArrayList<>(batch.size());
        List<String> ids = new ArrayList<>(batch.size());
        for (SourceRecord record : batch) {
            if (!(record instanceof TrackedRecord tracked) || tracked.eventId() == null) {
                continue; // the transform keys such events itself
            }
            String eventId = tracked.eventId();
            marked.add(record);
            ids.add(eventId);
            hashes.add(DedupKeys.hashOfId(eventId));
        }
        if (marked.isEmpty()) {
            return;
        }
        List<DedupStore.Mark> marks;
        try {
            marks = marker.markAll(hashes, ids);
        } catch (RuntimeException e) {
            pausedUntil = now + backoffMs;
            if (now - lastWarn > 10_000) {
                lastWarn = now;
                log.warn("De-duplication pre-mark: Redis failed ({}); the transform decides per event for {} ms",
                        e.toString(), backoffMs);
            }
            return;
        }
        for (int i = 0; i < marked.size(); i++) {
            SourceRecord record = marked.get(i);
            record.headers().addString(ErrorHeaders.DEDUP_HASH, hashes.get(i));
            record.headers().addString(ErrorHeaders.DEDUP_MARK, marks.get(i).name());
        }
    }

    @Override
    public void close() {
        if (marker != null) {
            try {
                marker.close();
            } catch (Exception e) {
                log.debug("Closing the pre-mark store: {}", e.toString());
            }
        }
    }
}
