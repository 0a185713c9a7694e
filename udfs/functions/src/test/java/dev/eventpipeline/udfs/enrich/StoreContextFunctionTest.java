package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.lookup.GuardedSource;
import dev.eventpipeline.udfs.lookup.InMemoryHashSource;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StoreContextFunctionTest {
    final InMemoryHashSource redis = new InMemoryHashSource();
    final StoreContextFunction fn = new StoreContextFunction(new GuardedSource(redis, 1000), 60_000, 100);

    @Test
    void localTimeAndOpeningHoursInTheStoresZone() {
        redis.put("store_config:b", Map.of("timezone", "Europe/Berlin", "businessHours", "08:00-20:00",
                "settings", "{\"currency\":\"EUR\"}"));
        StoreContext open = fn.apply("b", "2026-11-27T07:30:00Z");
        assertThat(open.localTime()).isEqualTo("2026-11-27T08:30:00+01:00");
        assertThat(open.openNow()).isTrue();
        assertThat(open.timezone()).isEqualTo("Europe/Berlin");
        assertThat(open.settings()).containsEntry("currency", "EUR");
        assertThat(fn.apply("b", "2026-11-27T06:59:59Z").openNow()).isFalse();
        assertThat(fn.apply("b", "2026-11-27T19:00:00Z").openNow()).isFalse();
        // summer time
        assertThat(fn.apply("b", "2026-07-01T06:30:00Z").localTime()).isEqualTo("2026-07-01T08:30:00+02:00");
    }

    @Test
    void perDayHoursAndClosedDays() {
        redis.put("store_config:n", Map.of("timezone", "America/New_York",
                "businessHours", "{\"sat\":\"10:00-22:00\",\"sun\":\"closed\"}"));
        assertThat(fn.apply("n", "2026-11-29T02:00:00Z").openNow()).isTrue();   // Sat 21:00
        assertThat(fn.apply("n", "2026-11-29T16:00:00Z").openNow()).isFalse();  // Sun 11:00
        assertThat(fn.apply("n", "2026-11-27T16:00:00Z").openNow()).isFalse();  // Fri: not listed
    }

    @Test
    void nullsUnknownsAndMalformedInput() {
        redis.put("store_config:x", Map.of("timezone", "Mars/Olympus", "businessHours", "9 to 5"));
        redis.put("store_config:y", Map.of("timezone", "UTC", "businessHours", "9 to 5", "settings", "oops"));
        assertThat(fn.apply(null, "2026-11-27T07:30:00Z")).isNull();
        assertThat(fn.apply("unknown", "2026-11-27T07:30:00Z")).isNull();
        assertThat(fn.apply("x", "2026-11-27T07:30:00Z")).isEqualTo(new StoreContext(null, null, null, "9 to 5", null));
        StoreContext y = fn.apply("y", "2026-11-27T07:30:00Z");
        assertThat(y.localTime()).isEqualTo("2026-11-27T07:30:00Z");
        assertThat(y.openNow()).isNull();
        assertThat(y.settings()).isNull();
        redis.put("store_config:z", Map.of("timezone", "UTC", "businessHours", "00:00-24:00"));
        assertThat(fn.apply("z", null).localTime()).isNull();
        assertThat(fn.apply("z", "not-a-time").openNow()).isNull();
        assertThat(new StoreContextFunction(null, 1, 1).apply("z", "2026-11-27T07:30:00Z")).isNull();
    }

    @Test
    void businessHoursForms() {
        BusinessHours overnight = BusinessHours.parse("22:00-02:00");
        assertThat(overnight.isOpen(LocalDateTime.parse("2026-11-27T23:00"))).isTrue();
        assertThat(overnight.isOpen(LocalDateTime.parse("2026-11-28T01:59"))).isTrue();
        assertThat(overnight.isOpen(LocalDateTime.parse("2026-11-28T02:00"))).isFalse();
        assertThat(overnight.isOpen(LocalDateTime.parse("2026-11-28T12:00"))).isFalse();
        assertThat(BusinessHours.parse("00:00-24:00").isOpen(LocalDateTime.parse("2026-11-28T03:00"))).isTrue();
        assertThat(BusinessHours.parse(null)).isNull();
        assertThat(BusinessHours.parse("{\"funday\":\"09:00-10:00\"}")).isNull();
        assertThat(BusinessHours.parse("{\"mon\":5}")).isNull();
        assertThat(BusinessHours.parse("25:00-26:00")).isNull();
        assertThat(BusinessHours.parse("[]")).isNull();
    }
}
