package dev.eventpipeline.gateway;

/**
 * What the gateway listens on and where the pipeline it watches lives.
 *
 * @param port          0 binds an ephemeral port (tests)
 * @param redisUrl      {@code redis://host:port}
 * @param clickHouseUrl ClickHouse HTTP interface
 * @param ingestUrl     the event-source connector's listener ({@code http://host:port}): dead-letter replay
 *                      re-injects through it, so a replayed event gets the same validation, de-duplication
 *                      and acknowledgement as a new one
 */
public record GatewaySettings(String host, int port, String bootstrapServers, String connectUrl, String redisUrl,
                              String clickHouseUrl, String ingestUrl) {
    public static final int DEFAULT_PORT = 8080;
}
