package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.eventpipeline.schema.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaRegistryTest {
    static final ObjectNode V1 = obj("{'type':'object','properties':{'price':{'type':'number'}},'required':['price'],'additionalProperties':false}");
    static final ObjectNode V2 = obj("{'type':'object','properties':{'price':{'type':'number'},'note':{'type':'string'}},'required':['price'],'additionalProperties':false}");
    static final ObjectNode NARROW = obj("{'type':'object','properties':{'price':{'type':'integer'}},'required':['price'],'additionalProperties':false}");

    final InMemorySchemaLog log = new InMemorySchemaLog();
    final SchemaRegistry registry = SchemaRegistry.open(log, Duration.ofSeconds(1));

    @Test
    void registersVersionsInOrderWithRegistryWideIds() {
        SchemaRegistry.Registration a = registry.register("cart.x", V1, null, null);
        SchemaRegistry.Registration b = registry.register("cart.x", V2, null, obj("{'description':'adds note'}"));
        SchemaRegistry.Registration c = registry.register("cart.y", V1, null, null);
        assertThat(a.created()).isTrue();
        assertThat(a.version().version()).isEqualTo(1);
        assertThat(b.version().version()).isEqualTo(2);
        assertThat(c.version().version()).isEqualTo(1);
        assertThat(List.of(a.version().id(), b.version().id(), c.version().id())).containsExactly(1L, 2L, 3L);
        assertThat(registry.subjects()).containsExactly("cart.x", "cart.y");
        assertThat(registry.latest("cart.x")).get().extracting(SchemaVersion::version).isEqualTo(2);
        assertThat(registry.byId(2)).get().extracting(v -> v.metadata().get("description").asText()).isEqualTo("adds note");
    }

    @Test
    void registeringAnIdenticalSchemaIsIdempotent() {
        registry.register("cart.x", V1, null, null);
        // same content, different key order and annotations-free: still identical
        ObjectNode reordered = obj("{'additionalProperties':false,'required':['price'],'properties':{'price':{'type':'number'}},'type':'object'}");
        SchemaRegistry.Registration again = registry.register("cart.x", reordered, Migration.NONE, null);
        assertThat(again.created()).isFalse();
        assertThat(again.version().version()).isEqualTo(1);
        assertThat(registry.versions("cart.x")).hasSize(1);
    }

    @Test
    void anIncompatibleSchemaIsRefusedWith409AndTheReasons() {
        registry.register("cart.x", V1, null, null);
        assertThatThrownBy(() -> registry.register("cart.x", NARROW, null, null))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.details()).singleElement().asString().contains("/price: TYPE_NARROWED");
                });
        assertThat(registry.versions("cart.x")).hasSize(1);
    }

    @Test
    void subjectLevelOverridesTheGlobalDefault() {
        registry.register("cart.x", V1, null, null);
        assertThat(registry.compatibility("cart.x")).isEqualTo(Compatibility.BACKWARD);
        registry.setCompatibility(null, Compatibility.FULL);
        assertThat(registry.compatibility("cart.x")).isEqualTo(Compatibility.FULL);
        registry.setCompatibility("cart.x", Compatibility.NONE);
        assertThat(registry.compatibility("cart.x")).isEqualTo(Compatibility.NONE);
        assertThat(registry.compatibility("other")).isEqualTo(Compatibility.FULL);
        assertThat(registry.register("cart.x", NARROW, null, null).version().version()).isEqualTo(2);
    }

    @Test
    void dryRunReportsWithoutRegistering() {
        registry.register("cart.x", V1, null, null);
        SchemaRegistry.Registration dry = registry.check("cart.x", NARROW, null);
        assertThat(dry.incompatibilities()).hasSize(1);
        assertThat(dry.version().version()).isEqualTo(2);
        assertThat(registry.check("cart.x", V2, null).incompatibilities()).isEmpty();
        assertThat(registry.versions("cart.x")).hasSize(1);
    }

    @Test
    void metadataChangesContentNever() {
        registry.register("cart.x", V1, null, obj("{'description':'first'}"));
        SchemaVersion updated = registry.updateMetadata("cart.x", 1, obj("{'description':'better','deprecated':true}"));
        assertThat(updated.deprecated()).isTrue();
        assertThat(updated.schema()).isEqualTo(V1);
        assertThat(updated.id()).isEqualTo(1);
        assertThat(registry.version("cart.x", 1)).get().extracting(SchemaVersion::deprecated).isEqualTo(true);
        assertThatThrownBy(() -> registry.updateMetadata("cart.x", 9, obj("{}")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void invalidInputIsRefusedWith422() {
        for (Runnable r : List.<Runnable>of(
                () -> registry.register("bad subject!", V1, null, null),
                () -> registry.register("cart.x", obj("{'type':'nonsense'}"), null, null),
                () -> registry.register("cart.x", obj("{'$schema':'http://json-schema.org/draft-07/schema#','type':'object'}"), null, null),
                () -> registry.register("cart.x", obj("{'$ref':'https://example.com/s.json'}"), null, null),
                () -> registry.register("cart.x", V1, new Migration(Map.of("a", "b"), List.of(), Map.of()), null))) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(422));
        }
    }

    @Test
    void stateIsRebuiltFromTheLog() {
        registry.register("cart.x", V1, null, null);
        registry.register("cart.x", V2, null, null);
        registry.setCompatibility("cart.x", Compatibility.FULL);
        registry.updateMetadata("cart.x", 1, obj("{'deprecated':true}"));
        InMemorySchemaLog copy = new InMemorySchemaLog();
        log.records().forEach(e -> copy.append(e.getKey(), e.getValue()));
        SchemaRegistry reopened = SchemaRegistry.open(copy, Duration.ofSeconds(1));
        assertThat(reopened.overview()).isEqualTo(Map.of("cart.x", List.of(1, 2)));
        assertThat(reopened.compatibility("cart.x")).isEqualTo(Compatibility.FULL);
        assertThat(reopened.version("cart.x", 1).orElseThrow().deprecated()).isTrue();
        assertThat(reopened.version("cart.x", 2).orElseThrow().schema()).isEqualTo(V2);
    }

    @Test
    void shippedSchemasRegisterIdempotentlyIncludingThreeItemAddedVersions() {
        int created = ShippedSchemas.registerAll(registry);
        assertThat(created).isEqualTo(ShippedSchemas.all().size()).isEqualTo(9);
        assertThat(ShippedSchemas.registerAll(registry)).isZero();
        assertThat(registry.subjects()).containsExactlyInAnyOrder("cart.item_added", "cart.item_removed",
                "cart.quantity_changed", "cart.viewed", "cart.cleared", "checkout.started", "order.completed");
        assertThat(registry.versions("cart.item_added")).extracting(SchemaVersion::version).containsExactly(1, 2, 3);
        for (dev.eventpipeline.contract.EventType t : dev.eventpipeline.contract.EventType.values()) {
            assertThat(registry.latest(t.wireName())).as(t.wireName()).isPresent();
        }
    }
}
