package dev.eventpipeline.udfs.enrich;

import java.util.Map;

/**
 * A store's configuration from Redis {@code store_config:{storeId}} (hash fields {@code timezone},
 * {@code businessHours}, {@code settings} as a JSON object) evaluated at the event's time:
 * {@code localTime} is the event time in the store's zone (ISO offset date-time), {@code openNow}
 * whether that is within business hours. Unknown/malformed parts are null.
 */
public record StoreContext(String timezone, String localTime, Boolean openNow, String businessHours,
                           Map<String, String> settings) {
    public static final String KEY_PREFIX = "store_config:";
}
