package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.contract.IsoInstants;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@link Instant#parse} and {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} for the shapes every event
 * has ({@code 2026-11-27T08:01:30Z}, {@code 2026-11-27T08:01:30.412Z}; 4-digit years, whole-minute
 * offsets), without the formatter machinery, which cost ≈15% of the embedded runtime's CPU (two parses
 * and one format per event). Anything else goes to the JDK itself, so results are always exactly
 * the JDK's: same instants, same text, same rejections.
 */
final class IsoTime {
    private IsoTime() {
    }

    /** Same as {@link Instant#parse}, including its exceptions ({@link IsoInstants}). */
    static Instant parseInstant(CharSequence text) {
        return IsoInstants.parse(text);
    }

    /** Same text as {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t)}. */
    static String formatOffsetDateTime(ZonedDateTime t) {
        int year = t.getYear();
        int offset = t.getOffset().getTotalSeconds();
        if (year < 0 || year > 9999 || offset % 60 != 0) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        StringBuilder b = new StringBuilder(35);
        pad(b, year, 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2);
        int nano = t.getNano();
        if (nano != 0) {
            // the shortest fraction, as appendFraction(NANO_OF_SECOND, 0, 9, true) prints it
            int digits = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                digits--;
            }
            b.append('.');
            pad(b, nano, digits);
        }
        if (offset == 0) {
            return b.append('Z').toString();
        }
        int abs = Math.abs(offset);
        b.append(offset < 0 ? '-' : '+');
        pad(b, abs / 3_600, 2).append(':');
        pad(b, abs / 60 % 60, 2);
        return b.toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }
}
