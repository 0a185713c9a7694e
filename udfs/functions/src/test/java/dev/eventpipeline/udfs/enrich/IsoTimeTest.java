package dev.eventpipeline.udfs.enrich;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IsoTimeTest {

    /** What the JDK answers: the instant, or the exception's class name. */
    private static Object jdk(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    private static Object ours(String text) {
        try {
            return IsoTime.parseInstant(text);
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    @Test
    void parsesTheUsualShapesLikeInstantParse() {
        assertThat(IsoTime.parseInstant("2026-11-27T08:01:30Z")).isEqualTo(Instant.parse("2026-11-27T08:01:30Z"));
        assertThat(IsoTime.parseInstant("2026-11-27T08:01:30.412Z")).isEqualTo(Instant.parse("2026-11-27T08:01:30.412Z"));
        assertThat(IsoTime.parseInstant("2024-02-29T23:59:59.000000001Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.000000001Z"));
    }

    @Test
    void agreesWithTheJdkOnEdgeCasesAndRejections() {
        List<String> cases = List.of("2026-11-27T08:01:30Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "2023-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
                "2026-11-27T24:00:00Z", "2026-11-27T23:59:60Z", "2026-11-27T08:60:00Z", "2026-11-27T08:01:30.Z",
                "2026-11-27T08:01:30.1234567890Z", "2026-11-27t08:01:30z", "2026-11-27T08:01:30+01:00",
                "2026-11-27T08:01Z", "+2026-11-27T08:01:30Z", "12026-11-27T08:01:30Z", "2026-11-27 08:01:30Z",
                "2026-11-27T08:01:30", "2026-1a-27T08:01:30Z", "2026-11-27T08:01:30.12a4Z", "", "not a time",
                "2026-11-27T08:01:30ZZ", "2026-11-27T08:01:30.5Z", "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z");
        for (String c : cases) {
            assertThat(ours(c)).as(c).isEqualTo(jdk(c));
        }
        assertThatThrownBy(() -> IsoTime.parseInstant("2024-02-30T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void agreesWithTheJdkOnRandomInstantsAndFractions() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(4) == 0 ? 0
                    : random.nextInt(1_000_000_000));
            String text = t.toString();
            if (random.nextBoolean() && t.getNano() != 0) { // also fractions with trailing zeros, as clients send them
                text = text.substring(0, 19) + String.format(".%09dZ", t.getNano()).substring(0, 2 + random.nextInt(9)) + "Z";
                text = text.replace("ZZ", "Z");
            }
            assertThat(ours(text)).as(text).isEqualTo(jdk(text));
        }
    }

    @Test
    void formatsLikeIsoOffsetDateTime() {
        assertThat(IsoTime.formatOffsetDateTime(Instant.parse("2026-11-27T08:01:30Z").atZone(ZoneId.of("Europe/Berlin"))))
                .isEqualTo("2026-11-27T09:01:30+01:00");
        assertThat(IsoTime.formatOffsetDateTime(Instant.parse("2026-11-27T08:01:30.120Z").atZone(ZoneId.of("UTC"))))
                .isEqualTo("2026-11-27T08:01:30.12Z");
        assertThat(IsoTime.formatOffsetDateTime(Instant.parse("2026-11-27T08:01:30Z").atZone(ZoneId.of("America/St_Johns"))))
                .isEqualTo("2026-11-27T04:31:30-03:30");
    }

    @Test
    void formatsLikeTheJdkInEveryZoneIncludingHistoricOffsetsWithSeconds() {
        Random random = new Random(7);
        List<String> zones = List.copyOf(ZoneId.getAvailableZoneIds());
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                    random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000));
            ZonedDateTime local = t.atZone(ZoneId.of(zones.get(random.nextInt(zones.size()))));
            assertThat(IsoTime.formatOffsetDateTime(local)).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local));
        }
        ZonedDateTime lmt = Instant.parse("1850-01-01T00:00:00Z").atZone(ZoneId.of("Europe/Berlin"));
        assertThat(IsoTime.formatOffsetDateTime(lmt)).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(lmt)).endsWith("+00:53:28");
        ZonedDateTime farFuture = Instant.parse("+12026-01-01T00:00:00Z").atZone(ZoneId.of("UTC"));
        assertThat(IsoTime.formatOffsetDateTime(farFuture)).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(farFuture));
    }
}
