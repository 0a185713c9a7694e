package dev.eventpipeline.udfs.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Opening hours of a store, in store-local time. Two forms: every day {@code "09:00-21:00"}, or per
 * weekday {@code {"mon":"09:00-18:00",...,"sun":"closed"}} (a missing day is closed). A range whose
 * end is not after its start runs past midnight ({@code "22:00-02:00"}); {@code "00:00-24:00"} is
 * all day. {@link #parse} returns null for anything malformed.
 */
public final class BusinessHours {
    private record Range(LocalTime open, LocalTime close, boolean allDay) {
    }

    private final Map<DayOfWeek, Range> days;

    private BusinessHours(Map<DayOfWeek, Range> days) {
        this.days = days;
    }

    public static BusinessHours parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.trim();
        Map<DayOfWeek, Range> days = new EnumMap<>(DayOfWeek.class);
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = JsonMapper.get().readTree(trimmed);
                if (!node.isObject()) {
                    return null;
                }
                for (var e : node.properties()) {
                    DayOfWeek day = day(e.getKey());
                    if (day == null || !e.getValue().isTextual()) {
                        return null;
                    }
                    String value = e.getValue().textValue().trim();
                    if (value.equalsIgnoreCase("closed")) {
                        continue;
                    }
                    Range range = range(value);
                    if (range == null) {
                        return null;
                    }
                    days.put(day, range);
                }
            } catch (java.io.IOException e) {
                return null;
            }
        } else {
            Range range = range(trimmed);
            if (range == null) {
                return null;
            }
            for (DayOfWeek d : DayOfWeek.values()) {
                days.put(d, range);
            }
        }
        return new BusinessHours(days);
    }

    /** Whether the store is open at this store-local time (overnight ranges count for the day they open). */
    public boolean isOpen(LocalDateTime local) {
        LocalTime t = local.toLocalTime();
        Range today = days.get(local.getDayOfWeek());
        if (today != null) {
            if (today.allDay) {
                return true;
            }
            if (today.open.isBefore(today.close)) {
                if (!t.isBefore(today.open) && t.isBefore(today.close)) {
                    return true;
                }
            } else if (!t.isBefore(today.open)) {
                return true;
            }
        }
        Range yesterday = days.get(local.getDayOfWeek().minus(1));
        return yesterday != null && !yesterday.allDay && !yesterday.open.isBefore(yesterday.close)
                && t.isBefore(yesterday.close);
    }

    private static Range range(String text) {
        String[] parts = text.split("-");
        if (parts.length != 2) {
            return null;
        }
        if (parts[0].trim().equals("00:00") && parts[1].trim().equals("24:00")) {
            return new Range(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, true);
        }
        try {
            return new Range(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()), false);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static DayOfWeek day(String key) {
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "mon" -> DayOfWeek.MONDAY;
            case "tue" -> DayOfWeek.TUESDAY;
            case "wed" -> DayOfWeek.WEDNESDAY;
            case "thu" -> DayOfWeek.THURSDAY;
            case "fri" -> DayOfWeek.FRIDAY;
            case "sat" -> DayOfWeek.SATURDAY;
            case "sun" -> DayOfWeek.SUNDAY;
            default -> null;
        };
    }
}
