package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColumnTypeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode convert(String type, String json) throws Exception {
        return ColumnType.parse(type).convert(JSON.readTree(json));
    }

    @Test
    void integersAreCheckedAgainstTheColumnRange() throws Exception {
        assertThat(convert("UInt32", "42").longValue()).isEqualTo(42);
        assertThat(convert("UInt32", "\"42\"").longValue()).isEqualTo(42);
        assertThat(convert("UInt8", "true").longValue()).isEqualTo(1);
        assertThat(convert("Int64", "-5").longValue()).isEqualTo(-5);
        assertThat(convert("UInt64", "18446744073709551615").toString()).isEqualTo("18446744073709551615");
        assertThat(convert("Nullable(UInt8)", "false").longValue()).isZero();
        assertThatThrownBy(() -> convert("UInt32", "-1")).hasMessageContaining("-1 is outside UInt32's range 0..4294967295");
        assertThatThrownBy(() -> convert("UInt8", "256")).hasMessageContaining("outside UInt8");
        assertThatThrownBy(() -> convert("Int32", "\"12abc\"")).hasMessageContaining("expected an integer for Int32, got string \"12abc\"");
        assertThatThrownBy(() -> convert("Int32", "1.5")).hasMessageContaining("expected an integer");
    }

    @Test
    void nullsGoOnlyIntoNullableColumnsOtherwiseTheDefaultApplies() throws Exception {
        assertThat(convert("Nullable(String)", "null").isNull()).isTrue();
        assertThat(convert("UInt32", "null")).as("left out: DEFAULT, never a silent 0").isNull();
        assertThat(ColumnType.parse("String").convert(null)).isNull();
    }

    @Test
    void stringsTakeAnyValueObjectsAsJsonText() throws Exception {
        assertThat(convert("String", "\"a\"").textValue()).isEqualTo("a");
        assertThat(convert("String", "12").textValue()).isEqualTo("12");
        assertThat(convert("LowCardinality(String)", "true").textValue()).isEqualTo("true");
        assertThat(convert("Nullable(String)", "{\"a\":[1]}").textValue()).isEqualTo("{\"a\":[1]}");
    }

    @Test
    void dateTimesAcceptIsoClickHouseTextAndEpochMillis() throws Exception {
        assertThat(convert("DateTime('UTC')", "\"2026-11-27T09:00:00.500+01:00\"").textValue()).isEqualTo("2026-11-27 08:00:00");
        assertThat(convert("DateTime", "\"2026-11-27 08:00:00\"").textValue()).isEqualTo("2026-11-27 08:00:00");
        assertThat(convert("Nullable(DateTime('UTC'))", "1795766400000").textValue()).isEqualTo("2026-11-27 08:00:00");
        assertThat(convert("Date", "\"2026-11-27T23:30:00Z\"").textValue()).isEqualTo("2026-11-27");
        assertThatThrownBy(() -> convert("DateTime('UTC')", "\"yesterday\""))
                .hasMessageContaining("expected an ISO-8601 timestamp").hasMessageContaining("\"yesterday\"");
        assertThatThrownBy(() -> convert("DateTime", "\"1969-12-31T23:59:59Z\"")).hasMessageContaining("outside DateTime's range");
    }

    @Test
    void theCommonUtcFormIsConvertedWithoutParsingAndEverythingElseByTheIsoParser() throws Exception {
        assertThat(ColumnType.fastUtc("2026-11-27T08:00:00.123Z")).isEqualTo("2026-11-27 08:00:00");
        assertThat(ColumnType.fastUtc("2026-11-27T08:00:59Z")).isEqualTo("2026-11-27 08:00:59");
        assertThat(ColumnType.fastUtc("2026-11-27T08:00:00.123456789Z")).isEqualTo("2026-11-27 08:00:00");
        assertThat(ColumnType.fastUtc("2026-11-27T08:00:00+01:00")).isNull();
        assertThat(ColumnType.fastUtc("2026-02-30T08:00:00Z")).isNull();
        assertThat(ColumnType.fastUtc("1969-12-31T23:59:59Z")).isNull();
        assertThat(ColumnType.fastUtc("2026-11-27T8:00:00.1Z")).isNull();
        assertThat(ColumnType.fastUtc("2026-11-27T08:00:00.x2Z")).isNull();
        assertThatThrownBy(() -> convert("DateTime", "\"2026-02-30T08:00:00Z\"")).hasMessageContaining("ISO-8601");
        assertThat(convert("DateTime", "\"2024-02-29T23:59:59.9Z\"").textValue()).isEqualTo("2024-02-29 23:59:59");
    }

    @Test
    void floatsArraysAndUnknownTypes() throws Exception {
        assertThat(convert("Float64", "\"1.25\"").doubleValue()).isEqualTo(1.25);
        assertThatThrownBy(() -> convert("Float64", "\"cheap\"")).hasMessageContaining("expected a number for Float64");
        assertThat(convert("Array(UInt32)", "[1,\"2\"]").toString()).isEqualTo("[1,2]");
        assertThatThrownBy(() -> convert("Array(String)", "\"x\"")).hasMessageContaining("expected a JSON array");
        assertThat(convert("Decimal(10, 2)", "1.5").toString()).isEqualTo("1.5");
    }
}
