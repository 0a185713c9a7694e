package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.lookup.CachedLookup;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** STORE_CONTEXT: store configuration from Redis (cached) evaluated at the event's time. */
public final class StoreContextFunction {
    private final CachedLookup lookup;
    private final Map<String, ZoneId> zones = new ConcurrentHashMap<>();
    private final Map<String, BusinessHours> hours = new ConcurrentHashMap<>();

    /** @param lookup null when no Redis is configured */
    public StoreContextFunction(CachedLookup lookup) {
        this.lookup = lookup;
    }

    public StoreContext apply(String storeId, String occurredAt) {
        if (lookup == null || Fields.blank(storeId)) {
            return null;
        }
        Map<String, String> hash = lookup.get(StoreContext.KEY_PREFIX + storeId);
        if (hash == null || hash.isEmpty()) {
            return null;
        }
        String timezone = hash.get("timezone");
        String businessHours = hash.get("businessHours");
        ZoneId zone = zone(timezone);
        Instant at = Fields.instant(occurredAt);
        String localTime = null;
        Boolean openNow = null;
        if (zone != null && at != null) {
            ZonedDateTime local = at.atZone(zone);
            localTime = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local);
            BusinessHours parsed = businessHours == null ? null
                    : hours.computeIfAbsent(businessHours, h -> {
                        BusinessHours b = BusinessHours.parse(h);
                        return b == null ? INVALID : b;
                    });
            if (parsed != null && parsed != INVALID) {
                openNow = parsed.isOpen(local.toLocalDateTime());
            }
        }
        return new StoreContext(zone == null ? null : timezone, localTime, openNow, businessHours,
                Fields.jsonObjectAsStrings(hash.get("settings")));
    }

    private static final BusinessHours INVALID = BusinessHours.parse("00:00-00:01");

    private ZoneId zone(String timezone) {
        if (Fields.blank(timezone)) {
            return null;
        }
        ZoneId cached = zones.get(timezone);
        if (cached != null) {
            return cached;
        }
        try {
            ZoneId zone = ZoneId.of(timezone.trim());
            if (zones.size() < 10_000) {
                zones.put(timezone, zone);
            }
            return zone;
        } catch (DateTimeException e) {
            return null;
        }
    }
}
