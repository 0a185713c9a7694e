package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.eventpipeline.schema.Json.example;
import static dev.eventpipeline.schema.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

class EventValidatorTest {
    SchemaRegistry registry;
    EventValidator validator;

    @BeforeEach
    void setUp() {
        registry = SchemaRegistry.inMemory();
        ShippedSchemas.registerAll(registry);
        validator = new EventValidator(registry);
    }

    @ParameterizedTest
    @ValueSource(strings = {"item-added-v3.json", "item-removed.json", "quantity-changed.json", "cart-viewed.json",
            "cart-cleared.json", "checkout-started.json", "order-completed.json"})
    void shippedExamplesAreValid(String name) {
        EventValidator.Result r = validator.validate(example(name));
        assertThat(r.valid()).as(r.reason()).isTrue();
        assertThat(r.upgraded()).isFalse();
        assertThat(r.reason()).isNull();
    }

    @Test
    void invalidPayloadReportsReasonPointersSubjectAndVersion() {
        EventValidator.Result r = validator.validate(example("item-added-invalid.json"));
        assertThat(r.valid()).isFalse();
        assertThat(r.subject()).isEqualTo("cart.item_added");
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.pointers()).containsExactlyInAnyOrder("/payload/quantity", "/payload/currency");
        assertThat(r.reason()).contains("/payload/quantity").contains("(cart.item_added v3)");
    }

    @Test
    void missingRequiredAndUnknownFieldsArePointedAt() {
        ObjectNode e = (ObjectNode) Json.node(example("item-removed.json"));
        ((ObjectNode) e.get("payload")).remove("productId");
        ((ObjectNode) e.get("payload")).put("colour", "red");
        EventValidator.Result r = validator.validate(e, true);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).contains("productId").contains("colour");
        assertThat(r.pointers()).contains("/payload");
    }

    @Test
    void envelopeProblemsComeFirst() {
        EventValidator.Result r = validator.validate("{\"eventId\":\"e1\",\"type\":\"cart.viewed\",\"schemaVersion\":1}");
        assertThat(r.valid()).isFalse();
        assertThat(r.pointers()).containsExactly("/occurredAt");
        assertThat(validator.validate("not json").reason()).startsWith("malformed JSON");
        assertThat(validator.validate("[1]").reason()).isEqualTo("event must be a JSON object");
    }

    @Test
    void unknownTypeAndVersionAreNamed() {
        ObjectNode e = (ObjectNode) Json.node(example("cart-viewed.json"));
        e.put("type", "cart.teleported");
        assertThat(validator.validate(e, true).reason()).isEqualTo("/type: no schema is registered for event type cart.teleported");
        e.put("type", "cart.viewed").put("schemaVersion", 7);
        EventValidator.Result r = validator.validate(e, true);
        assertThat(r.reason()).isEqualTo("/schemaVersion: version 7 of type cart.viewed is not registered (latest is 1)");
        assertThat(r.pointers()).containsExactly("/schemaVersion");
    }

    @Test
    void olderVersionsAreCarriedForwardAcrossThreeVersions() throws Exception {
        EventValidator.Result r = validator.validate(example("item-added-v1.json"));
        assertThat(r.valid()).as(r.reason()).isTrue();
        assertThat(r.upgraded()).isTrue();
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.latestVersion()).isEqualTo(3);
        ObjectNode expected = obj("{'productId':'sku-10442','sku':'TSHIRT-BLK-M','category':'apparel','quantity':2,"
                + "'unitPrice':19.99,'currency':'EUR','source':'web','discount':0}");
        assertThat(r.event().get("payload")).isEqualTo(expected);
        assertThat(r.event().get("schemaVersion").intValue()).isEqualTo(3);
        assertThat(r.event().get(EventValidator.ORIGINAL_SCHEMA_VERSION).intValue()).isEqualTo(1);

        EventValidator.Result v2 = validator.validate(example("item-added-v2.json"));
        assertThat(v2.event().get("payload")).isEqualTo(obj("{'productId':'sku-10442','quantity':1,'unitPrice':19.99,"
                + "'currency':'EUR','source':'ios','discount':0}"));
        assertThat(validator.validate(JsonMapper.get().readTree(example("item-added-v1.json")), false).upgraded()).isFalse();
    }

    @Test
    void aVersionRegisteredLaterIsPickedUpWithoutANewValidator() {
        ObjectNode e = (ObjectNode) Json.node(example("cart-cleared.json"));
        e.put("schemaVersion", 2);
        ((ObjectNode) e.get("payload")).put("channel", "web");
        assertThat(validator.validate(e, true).valid()).isFalse();
        ObjectNode v2 = registry.latest("cart.cleared").orElseThrow().schema().deepCopy();
        ((ObjectNode) v2.get("properties")).putObject("channel").put("type", "string");
        registry.register("cart.cleared", v2, new Migration(Map.of(), List.of(), Map.of()), null);
        EventValidator fresh = new EventValidator(registry, java.time.Duration.ofSeconds(1), 0);
        assertThat(fresh.validate(e, true).valid()).isTrue();
        EventValidator.Result old = validator.validate(example("cart-cleared.json"));
        assertThat(old.valid()).isTrue();
        assertThat(old.upgraded()).isTrue();
        assertThat(old.event().get("schemaVersion").intValue()).isEqualTo(2);
    }
}
