package dev.eventpipeline.sink.clickhouse.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClickHouseErrorsTest {
    private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (a, b) -> true);

    @Test
    void readsTheCodeFrom18BodyText() {
        String body = "Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected { before: x: (at row 1)\n"
                + ", e.what() = DB::Exception\n";

        assertThat(ClickHouseErrors.code(NONE, body)).hasValue(27);
    }

    @Test
    void readsTheCodeFromCurrentBodyText() {
        String body = "Code: 60. DB::Exception: Table event_pipeline.nope does not exist. (UNKNOWN_TABLE) (version 24.8.4.13)";

        assertThat(ClickHouseErrors.code(NONE, body)).hasValue(60);
    }

    @Test
    void prefersTheExceptionCodeHeader() {
        HttpHeaders headers = HttpHeaders.of(Map.of("X-ClickHouse-Exception-Code", List.of("252")), (a, b) -> true);

        assertThat(ClickHouseErrors.code(headers, "Code: 1. whatever")).hasValue(252);
    }

    @Test
    void noCodeInAProxyPage() {
        assertThat(ClickHouseErrors.code(NONE, "<html>Bad Gateway</html>")).isEmpty();
        assertThat(ClickHouseErrors.code(null, null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {159, 209, 210, 241, 252, 202, 425, 319, 3, 164, 242})
    void transientCodesAreRetriable(int code) {
        ClickHouseException e = ClickHouseErrors.fromResponse(500, NONE, "Code: " + code + ", e.displayText() = DB::Exception: x");

        assertThat(e.retriable()).isTrue();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains("HTTP 500", "code " + code + " (");
    }

    @ParameterizedTest
    @ValueSource(ints = {26, 27, 60, 62, 117, 81})
    void dataAndSchemaErrorsAreNotRetriable(int code) {
        ClickHouseException e = ClickHouseErrors.fromResponse(500, NONE, "Code: " + code + ", e.displayText() = DB::Exception: boom");

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("code " + code, "DB::Exception: boom");
    }

    @Test
    void authenticationErrorsSayWhatToCheck() {
        ClickHouseException e = ClickHouseErrors.fromResponse(401, NONE,
                "Code: 193, e.displayText() = DB::Exception: Wrong password for user default");

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("WRONG_PASSWORD", "check clickhouse.user and clickhouse.password");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 502, 503, 504})
    void gatewayStatusesWithoutCodeAreRetriable(int status) {
        assertThat(ClickHouseErrors.fromResponse(status, NONE, "busy").retriable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 500})
    void otherStatusesWithoutCodeAreNot(int status) {
        assertThat(ClickHouseErrors.fromResponse(status, NONE, "nope").retriable()).isFalse();
    }

    @Test
    void unreachableIsRetriable() {
        for (IOException io : List.of(new ConnectException("Connection refused"), new HttpTimeoutException("request timed out"))) {
            ClickHouseException e = ClickHouseErrors.fromIOException("http://h:8123/", io);

            assertThat(e.retriable()).isTrue();
            assertThat(e.httpStatus()).isEqualTo(ClickHouseException.NO_STATUS);
            assertThat(e.getMessage()).contains("http://h:8123/", io.getMessage());
        }
    }

    @Test
    void longBodiesAreAbbreviated() {
        String body = "Code: 27, " + "x".repeat(10_000);

        assertThat(ClickHouseErrors.fromResponse(500, NONE, body).getMessage()).hasSizeLessThan(2_200).contains("more characters");
    }
}
