package dev.eventpipeline.gateway;

/**
 * What the gateway listens on and where the pipeline it watches lives.
 *
 * @param port          0 binds an ephemeral port (tests)
 * @param redisUrl      {@code redis://host:port}
 * @param clickHouseUrl ClickHouse HTTP interface
 */
public record GatewaySettings(String host, int port, String bootstrapServers, String connectUrl, String redisUrl,
                              String clickHouseUrl) {
    public static final int DEFAULT_PORT = 8080;
}
