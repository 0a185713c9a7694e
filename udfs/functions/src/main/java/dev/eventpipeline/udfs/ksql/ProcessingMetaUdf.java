package dev.eventpipeline.udfs.ksql;

import dev.eventpipeline.udfs.FunctionConfig;
import dev.eventpipeline.udfs.Version;
import dev.eventpipeline.udfs.enrich.ProcessingMeta;
import dev.eventpipeline.udfs.enrich.ProcessingMetaFunction;
import dev.eventpipeline.udfs.lookup.Lookups;
import io.confluent.ksql.function.udf.Udf;
import io.confluent.ksql.function.udf.UdfDescription;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.connect.data.Struct;

import java.util.Map;

@UdfDescription(name = ProcessingMetaUdf.NAME, author = "event-pipeline", category = "ENRICHMENT",
        description = "Processing metadata: pipelineVersion, enrichedAt (ISO instant), redisDegraded (true while "
                + "the configured Redis is unavailable, so user/store nulls may be an outage, not a miss). Config: "
                + "ksql.functions._global_.redis.url, ksql.functions.processing_meta.clock (system, or a fixed ISO "
                + "instant for fixtures), ksql.functions.processing_meta.version (default: this jar's version).")
public class ProcessingMetaUdf implements Configurable {
    public static final String NAME = "processing_meta";
    public static final String EXAMPLE = "PROCESSING_META() => {\"pipelineVersion\":\"0.1.0\",\"enrichedAt\":"
            + "\"2026-11-27T08:00:00.123Z\",\"redisDegraded\":false}";

    private ProcessingMetaFunction function;

    public ProcessingMetaUdf() {
        configure(Map.of());
    }

    @Override
    public void configure(Map<String, ?> props) {
        FunctionConfig config = new FunctionConfig(props);
        function = new ProcessingMetaFunction(Lookups.forConfig(config),
                config.string(FunctionConfig.key(NAME, FunctionConfig.CLOCK), "system"),
                config.string(FunctionConfig.key(NAME, FunctionConfig.VERSION), Version.get()));
    }

    @Udf(description = "Processing metadata of this enrichment.", schema = Schemas.META_SQL)
    public Struct processingMeta() {
        ProcessingMeta m = function.apply();
        return new Struct(Schemas.META)
                .put("pipelineVersion", m.pipelineVersion())
                .put("enrichedAt", m.enrichedAt())
                .put("redisDegraded", m.redisDegraded());
    }
}
