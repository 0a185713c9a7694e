package dev.eventpipeline.udfs.enrich;

/**
 * Processing metadata: {@code pipelineVersion}, {@code enrichedAt} (ISO instant of enrichment) and
 * {@code redisDegraded} (the Redis lookups were unavailable, so user/store may be null for that reason).
 */
public record ProcessingMeta(String pipelineVersion, String enrichedAt, boolean redisDegraded) {
}
