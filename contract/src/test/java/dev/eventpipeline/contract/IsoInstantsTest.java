package dev.eventpipeline.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IsoInstantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T08:01:30Z", "2026-11-27T08:01:30.4Z", "2026-11-27T08:01:30.412Z",
            "2026-11-27T08:01:30.123456789Z", "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z"})
    void theCommonShapeParsesFastAndLikeTheJdk(String text) {
        assertThat(IsoInstants.parseCommonShape(text)).isEqualTo(Instant.parse(text));
        assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T08:01:30+01:00", "+12026-11-27T08:01:30Z", "2026-11-27T08:01:30.Z",
            "2026-11-27T08:01:30.1234567890Z", "2026-11-27 08:01:30Z", "2026-11-27T08:01:60Z", "2026-11-27T24:00:00Z"})
    void otherShapesAreLeftToTheJdk(String text) {
        assertThat(IsoInstants.parseCommonShape(text)).isNull();
        Object jdk;
        try {
            jdk = Instant.parse(text);
        } catch (DateTimeParseException e) {
            jdk = DateTimeParseException.class;
        }
        Object ours;
        try {
            ours = IsoInstants.parse(text);
        } catch (DateTimeParseException e) {
            ours = DateTimeParseException.class;
        }
        assertThat(ours).as("same answer as Instant.parse").isEqualTo(jdk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-11-2xT00:00:00Z", "not a date"})
    void invalidTimestampsFailExactlyAsTheJdkDoes(String text) {
        assertThat(IsoInstants.parseCommonShape(text)).isNull();
        assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void randomInstantsRoundTripAsTheJdkFormatsThem() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), random.nextInt(1_000_000_000));
            String text = t.toString();
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(t);
        }
    }
}
