package dev.eventpipeline.ingest;

import dev.eventpipeline.ingest.config.EventSourceConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventSourceConnectorTest {
    private static final String CLASS = EventSourceConnector.class.getName();

    private static Map<String, String> props(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", CLASS);
        props.put("name", "event-source");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private static ConfigValue value(Config config, String key) {
        return config.configValues().stream().filter(v -> v.name().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void validConfigValidatesWithoutErrors() {
        Config config = new EventSourceConnector().validate(props("listener.port", "9000", "topic", "cart-events-raw"));
        config.configValues().forEach(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "listener.host; ''; must be a host name or IP address",
            "listener.port; 65536; Value must be no more than 65535",
            "listener.port; abc; Not a number of type INT",
            "topic; events/raw; not a legal Kafka topic name",
            "max.event.bytes; 2000000; Value must be no more than 1048576",
            "max.request.bytes; 100; Value must be at least 256",
            "queue.capacity; -5; Value must be at least 1",
            "ack.durable.write.listener.class; java.lang.Object; must be a class implementing",
            "ack.invalid.reason.resolver.class; no.such.Clazz; Class no.such.Clazz could not be found",
            "poll.max.records; 0; Value must be at least 1",
            "ack.timeout.ms; 999999999; Value must be no more than 600000",
    })
    void eachBadValueGetsAUsefulMessageOnItsKey(String key, String bad, String message) {
        Config config = new EventSourceConnector().validate(props(key, bad));

        assertThat(value(config, key).errorMessages()).anySatisfy(m -> assertThat(m).contains(message));
        config.configValues().stream().filter(v -> !v.name().equals(key))
                .forEach(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @Test
    void validateChecksEventLimitAgainstRequestLimit() {
        Config config = new EventSourceConnector().validate(props("max.event.bytes", "65536", "max.request.bytes", "32768"));

        assertThat(value(config, "max.event.bytes").errorMessages())
                .containsExactly("max.event.bytes (65536) must not exceed max.request.bytes (32768): an event always travels in one request");
    }

    @Test
    void validateChecksBatchAgainstBufferPortRangeAndTls() {
        Config batch = new EventSourceConnector().validate(props("max.batch.events", "500", "queue.capacity", "100"));
        assertThat(value(batch, "max.batch.events").errorMessages()).singleElement()
                .satisfies(m -> assertThat(m).contains("must not exceed queue.capacity (100)"));

        Config ports = new EventSourceConnector().validate(props("listener.port", "65530", "tasks.max", "8"));
        assertThat(value(ports, "listener.port").errorMessages()).singleElement()
                .satisfies(m -> assertThat(m).contains("the last port would be 65537"));

        Config tls = new EventSourceConnector().validate(props("tls.keystore.path", "/etc/ks.p12"));
        assertThat(value(tls, "tls.keystore.password").errorMessages()).singleElement()
                .satisfies(m -> assertThat(m).contains("required when tls.keystore.path is set"));
    }

    @Test
    void startRejectsInvalidConfig() {
        assertThatThrownBy(() -> new EventSourceConnector().start(props("listener.port", "-2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.port");
    }

    @Test
    void createsTasksMaxTasksEachWithItsId() {
        EventSourceConnector connector = new EventSourceConnector();
        connector.start(props("listener.port", "9100", "tasks.max", "4"));

        List<Map<String, String>> tasks = connector.taskConfigs(4);

        assertThat(tasks).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(tasks.get(i))
                    .containsEntry("listener.port", "9100")
                    .containsEntry("name", "event-source")
                    .containsEntry(EventSourceTask.TASK_ID, Integer.toString(i));
        }
        assertThat(EventSourceConfig.portOfTask(9100, 3)).isEqualTo(9103);
        assertThat(EventSourceConfig.portOfTask(0, 3)).isZero();
        assertThat(connector.taskClass()).isEqualTo(EventSourceTask.class);
        connector.stop();
    }

    @Test
    void describesItself() {
        EventSourceConnector connector = new EventSourceConnector();
        assertThat(connector.config()).isSameAs(EventSourceConfig.configDef());
        assertThat(connector.version()).isEqualTo(Version.get()).isNotEqualTo("unknown");
        assertThat(connector.exactlyOnceSupport(props())).isEqualTo(ExactlyOnceSupport.UNSUPPORTED);
    }

    @Test
    void isRegisteredForServiceLoaderDiscovery() {
        assertThat(ServiceLoader.load(SourceConnector.class).stream().map(ServiceLoader.Provider::type))
                .contains(EventSourceConnector.class);
    }
}
