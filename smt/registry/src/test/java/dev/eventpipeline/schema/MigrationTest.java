package dev.eventpipeline.schema;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.eventpipeline.schema.Json.node;
import static dev.eventpipeline.schema.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

class MigrationTest {
    final Migration m = new Migration(Map.of("price", "unitPrice"), List.of("legacy"), Map.of("source", node("'web'")));

    @Test
    void renamesRemovesAndDefaultsInThatOrder() {
        assertThat(m.apply(obj("{'price':1.5,'legacy':'x','q':1}"))).isEqualTo(obj("{'q':1,'unitPrice':1.5,'source':'web'}"));
        assertThat(m.apply(obj("{'price':1.5,'source':'ios'}"))).isEqualTo(obj("{'unitPrice':1.5,'source':'ios'}"));
        assertThat(m.apply(obj("{'source':null}"))).isEqualTo(obj("{'source':'web'}"));
    }

    @Test
    void jsonRoundTrip() {
        assertThat(Migration.fromJson(m.toJson())).isEqualTo(m);
        assertThat(Migration.fromJson(null)).isEqualTo(Migration.NONE);
    }

    @Test
    void schemaViewOfTheMigratedPayloads() {
        var s = m.applyToSchema(obj("{'type':'object','properties':{'price':{'type':'number'},'legacy':{'type':'string'}},'required':['price','legacy']}"));
        assertThat(s.get("properties").has("unitPrice")).isTrue();
        assertThat(s.get("properties").has("legacy")).isFalse();
        assertThat(s.get("properties").get("source")).isEqualTo(obj("{'type':'string','const':'web'}"));
        assertThat(s.get("required")).isEqualTo(node("['unitPrice','source']"));
    }
}
