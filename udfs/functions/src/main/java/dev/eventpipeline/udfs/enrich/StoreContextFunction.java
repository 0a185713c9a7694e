package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.lookup.CachedLookup;
import dev.eventpipeline.udfs.lookup.GuardedSource;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

/** STORE_CONTEXT: store configuration from Redis (cached, parsed once per cache entry) evaluated at the event's time. */
public final class StoreContextFunction {
    /** A store_config hash, parsed. */
    record StoreConfig(String timezone, ZoneId zone, String businessHours, BusinessHours hours, Map<String, String> settings) {
        static StoreConfig fromHash(Map<String, String> hash) {
            String timezone = hash.get("timezone");
            ZoneId zone = parseZone(timezone);
            String businessHours = hash.get("businessHours");
            return new StoreConfig(zone == null ? null : timezone, zone, businessHours, BusinessHours.parse(businessHours),
                    Fields.jsonObjectAsStrings(hash.get("settings")));
        }
    }

    private final CachedLookup<StoreConfig> lookup;

    /** @param source null when no Redis is configured */
    public StoreContextFunction(GuardedSource source, long ttlMs, long maxEntries) {
        this.lookup = source == null ? null : new CachedLookup<>(source, ttlMs, maxEntries, StoreConfig::fromHash);
    }

    public StoreContext apply(String storeId, String occurredAt) {
        if (lookup == null || Fields.blank(storeId)) {
            return null;
        }
        StoreConfig config = lookup.get(StoreContext.KEY_PREFIX + storeId);
        if (config == null) {
            return null;
        }
        Instant at = Fields.instant(occurredAt);
        String localTime = null;
        Boolean openNow = null;
        if (config.zone() != null && at != null) {
            ZonedDateTime local = at.atZone(config.zone());
            localTime = IsoTime.formatOffsetDateTime(local);
            if (config.hours() != null) {
                openNow = config.hours().isOpen(local.toLocalDateTime());
            }
        }
        return new StoreContext(config.timezone(), localTime, openNow, config.businessHours(), config.settings());
    }

    private static ZoneId parseZone(String timezone) {
        if (Fields.blank(timezone)) {
            return null;
        }
        try {
            return ZoneId.of(timezone.trim());
        } catch (DateTimeException e) {
            return null;
        }
    }
}
