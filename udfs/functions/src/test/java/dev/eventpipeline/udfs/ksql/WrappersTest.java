package dev.eventpipeline.udfs.ksql;

import dev.eventpipeline.udfs.FunctionConfig;
import dev.eventpipeline.udfs.lookup.Lookups;
import io.confluent.ksql.function.udf.Udf;
import io.confluent.ksql.function.udf.UdfDescription;
import io.confluent.ksql.function.udf.UdfParameter;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WrappersTest {
    final Map<String, Object> config = new HashMap<>(Map.of(FunctionConfig.REDIS_URL, "memory:wrappers",
            FunctionConfig.key(ProcessingMetaUdf.NAME, FunctionConfig.CLOCK), "2026-11-27T12:00:00Z",
            FunctionConfig.key(ProcessingMetaUdf.NAME, FunctionConfig.VERSION), "test"));

    @AfterEach
    void drop() {
        Lookups.dropMemory("wrappers");
    }

    @Test
    void sqlSchemasMatchTheConnectSchemasOfTheReturnedStructs() {
        assertThat(Schemas.sql(Schemas.USER)).isEqualTo(Schemas.USER_SQL);
        assertThat(Schemas.sql(Schemas.STORE)).isEqualTo(Schemas.STORE_SQL);
        assertThat(Schemas.sql(Schemas.SESSION)).isEqualTo(Schemas.SESSION_SQL);
        assertThat(Schemas.sql(Schemas.CART)).isEqualTo(Schemas.CART_SQL);
        assertThat(Schemas.sql(Schemas.META)).isEqualTo(Schemas.META_SQL);
        for (var s : new org.apache.kafka.connect.data.Schema[] {Schemas.USER, Schemas.STORE, Schemas.SESSION, Schemas.CART, Schemas.META}) {
            assertThat(s.isOptional()).isTrue();
            s.fields().forEach(f -> assertThat(f.schema().isOptional()).as(f.name()).isTrue());
        }
    }

    @Test
    void everyWrapperIsAnnotatedConfigurableAndDeclaresItsSchema() {
        for (Class<?> c : FunctionReference.FUNCTIONS) {
            UdfDescription d = c.getAnnotation(UdfDescription.class);
            assertThat(d).as(c.getName()).isNotNull();
            assertThat(d.name()).matches("[a-z_]+");
            assertThat(Configurable.class).isAssignableFrom(c);
            Method[] udfs = Arrays.stream(c.getMethods()).filter(m -> m.isAnnotationPresent(Udf.class)).toArray(Method[]::new);
            assertThat(udfs).isNotEmpty();
            for (Method m : udfs) {
                assertThat(m.getReturnType()).isEqualTo(Struct.class);
                assertThat(m.getAnnotation(Udf.class).schema()).startsWith("STRUCT<");
                Arrays.stream(m.getParameters()).forEach(p -> {
                    assertThat(p.getAnnotation(UdfParameter.class)).isNotNull();
                    assertThat(p.getType()).isEqualTo(String.class);
                });
            }
        }
    }

    @Test
    void userAndStoreFromRedis() {
        Lookups.memory("wrappers").put("user_profile:u", Map.of("purchaseCount", "4", "preferences", "{\"a\":1}"))
                .put("store_config:s", Map.of("timezone", "UTC", "businessHours", "09:00-17:00"));
        UserProfileUdf user = new UserProfileUdf();
        user.configure(config);
        Struct u = user.userProfile("u");
        assertThat(u.schema()).isEqualTo(Schemas.USER);
        assertThat(u.getInt64("purchaseCount")).isEqualTo(4L);
        assertThat(u.getMap("preferences")).isEqualTo(Map.of("a", "1"));
        assertThat(u.getFloat64("lifetimeValue")).as("4 purchases, no history").isNull();
        assertThat(u.getString("segment")).isNull();
        assertThat(user.userProfile(null)).isNull();
        assertThat(user.userProfile("other")).isNull();

        StoreContextUdf store = new StoreContextUdf();
        store.configure(config);
        Struct s = store.storeContext("s", "2026-11-27T10:00:00Z");
        assertThat(s.getBoolean("openNow")).isTrue();
        assertThat(s.getString("localTime")).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(store.storeContext("s", "garbage").getString("localTime")).isNull();
        assertThat(store.storeContext(null, null)).isNull();
    }

    @Test
    void segmentThresholdsAndRatesComeFromTheFunctionsConfig() {
        String history = "[{\"orderId\":\"o-1\",\"total\":300,\"currency\":\"USD\"},"
                + "{\"orderId\":\"o-2\",\"total\":100,\"currency\":\"EUR\"}]";
        Lookups.memory("wrappers").put("user_profile:u", Map.of("purchaseCount", "2", "purchaseHistory", history));
        UserProfileUdf defaults = new UserProfileUdf();
        defaults.configure(config);
        Struct d = defaults.userProfile("u");
        assertThat(d.getFloat64("lifetimeValue")).isEqualTo(376.0); // 300 x 0.92 + 100
        assertThat(d.getString("segment")).isEqualTo("occasional");

        config.put(FunctionConfig.key(UserProfileUdf.NAME, FunctionConfig.FX_RATES), "EUR:1,USD:1");
        config.put(FunctionConfig.key(UserProfileUdf.NAME, FunctionConfig.SEGMENT_REPEAT_MIN_PURCHASES), "2");
        config.put(FunctionConfig.key(UserProfileUdf.NAME, FunctionConfig.SEGMENT_VIP_MIN_LIFETIME_VALUE), "400");
        UserProfileUdf tuned = new UserProfileUdf();
        tuned.configure(config);
        assertThat(tuned.userProfile("u").getFloat64("lifetimeValue")).isEqualTo(400.0);
        assertThat(tuned.userProfile("u").getString("segment")).isEqualTo("vip");
        config.put(FunctionConfig.key(UserProfileUdf.NAME, FunctionConfig.SEGMENT_VIP_MIN_LIFETIME_VALUE), "500");
        tuned.configure(config);
        assertThat(tuned.userProfile("u").getString("segment")).isEqualTo("repeat");
    }

    @Test
    void unconfiguredLookupsAreNullNotErrors() {
        assertThat(new UserProfileUdf().userProfile("u")).isNull();
        assertThat(new StoreContextUdf().storeContext("s", "2026-11-27T10:00:00Z")).isNull();
        assertThat(new ProcessingMetaUdf().processingMeta().getBoolean("redisDegraded")).isFalse();
    }

    @Test
    void sessionCartAndMeta() {
        SessionContextUdf session = new SessionContextUdf();
        session.configure(Map.of(FunctionConfig.key(SessionContextUdf.NAME, FunctionConfig.IDLE_TIMEOUT_MS), "1000"));
        assertThat(session.sessionContext("x", "2026-11-27T10:00:00Z").getInt64("position")).isEqualTo(1L);
        assertThat(session.sessionContext("x", "2026-11-27T10:00:02Z").getInt64("position")).isEqualTo(1L);
        assertThat(session.sessionContext("x", "2026-11-27T10:00:02.5Z").getInt64("msSincePrevious")).isEqualTo(500L);
        assertThat(session.sessionContext("x", "bad")).isNull();

        CartFeaturesUdf cart = new CartFeaturesUdf();
        cart.configure(Map.of(FunctionConfig.key(CartFeaturesUdf.NAME, FunctionConfig.FX_RATES), "USD:2"));
        Struct c = cart.cartFeatures("x", "cart.item_added",
                "{\"productId\":\"p\",\"quantity\":2,\"unitPrice\":1.25,\"currency\":\"USD\",\"discount\":0,\"items\":null}");
        assertThat(c.schema()).isEqualTo(Schemas.CART);
        assertThat(c.getFloat64("valueEur")).isEqualTo(5.0);
        assertThat(c.getInt32("itemCount")).isEqualTo(2);
        assertThat(cart.cartFeatures("x", "cart.item_added", "{not json")).isNull();
        assertThat(cart.cartFeatures("x", "cart.item_added", (String) null)).isNull();
        assertThat(cart.cartFeatures("x", "cart.item_added", "null")).isNull();

        ProcessingMetaUdf meta = new ProcessingMetaUdf();
        meta.configure(config);
        Struct m = meta.processingMeta();
        assertThat(StructJson.toJson(m).toString())
                .isEqualTo("{\"pipelineVersion\":\"test\",\"enrichedAt\":\"2026-11-27T12:00:00Z\",\"redisDegraded\":false}");
    }

    @Test
    void systemPropertiesConfigureWhatKsqlDbDidNotPass() {
        String key = FunctionConfig.key(ProcessingMetaUdf.NAME, FunctionConfig.VERSION);
        System.setProperty(key, "from-system");
        try {
            assertThat(new ProcessingMetaUdf().processingMeta().getString("pipelineVersion")).isEqualTo("from-system");
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void structJsonWritesEveryFieldInOrderWithNulls() {
        Struct s = new Struct(Schemas.SESSION).put("position", 1L).put("startedAt", "t");
        assertThat(StructJson.toJson(s).toString())
                .isEqualTo("{\"position\":1,\"startedAt\":\"t\",\"msSinceStart\":null,\"msSincePrevious\":null}");
        assertThat(StructJson.toJson(null).isNull()).isTrue();
    }

    @Test
    void functionReferenceInTheReadmeIsCurrent() throws Exception {
        Path readme = Path.of("../README.md");
        String text = Files.readString(readme);
        assertThat(text).as("udfs/README.md is stale: mvn -pl udfs/functions exec:java@function-reference")
                .isEqualTo(FunctionReference.replaceSection(text));
    }
}
