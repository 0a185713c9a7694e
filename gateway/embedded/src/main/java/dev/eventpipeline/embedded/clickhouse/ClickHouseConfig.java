package dev.eventpipeline.embedded.clickhouse;

import java.nio.file.Path;

/**
 * Renders the two files a local ClickHouse server needs: a minimal {@code config.xml} (loopback
 * only, every directory under one work directory, UTC, small caches, no interserver port) and a
 * {@code users.xml} with one password-less {@code default} user reachable from loopback only.
 *
 * <p>The root element is {@code <yandex>}: ClickHouse 18.16 requires it and current releases still
 * accept it (they also accept {@code <clickhouse>}). Element names are those of the 18.16 package's
 * {@code /etc/clickhouse-server/config.xml}.
 */
public final class ClickHouseConfig {
    static final String CONFIG_FILE = "config.xml";
    static final String USERS_FILE = "users.xml";
    static final String PID_FILE = "clickhouse.pid";

    private final Path workDir;
    private final int httpPort;
    private final int tcpPort;

    public ClickHouseConfig(Path workDir, int httpPort, int tcpPort) {
        if (httpPort <= 0 || httpPort > 65535 || tcpPort <= 0 || tcpPort > 65535) {
            throw new IllegalArgumentException("ports must be 1..65535, got http " + httpPort + ", tcp " + tcpPort);
        }
        if (httpPort == tcpPort) {
            throw new IllegalArgumentException("http and tcp port must differ, both are " + httpPort);
        }
        this.workDir = workDir.toAbsolutePath().normalize();
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
    }

    public Path workDir() {
        return workDir;
    }

    public Path dataDir() {
        return workDir.resolve("data");
    }

    public Path tmpDir() {
        return workDir.resolve("tmp");
    }

    public Path userFilesDir() {
        return workDir.resolve("user_files");
    }

    public Path formatSchemaDir() {
        return workDir.resolve("format_schemas");
    }

    public Path logDir() {
        return workDir.resolve("log");
    }

    public Path logFile() {
        return logDir().resolve("clickhouse-server.log");
    }

    public Path errorLogFile() {
        return logDir().resolve("clickhouse-server.err.log");
    }

    public Path configFile() {
        return workDir.resolve(CONFIG_FILE);
    }

    public Path usersFile() {
        return workDir.resolve(USERS_FILE);
    }

    public Path pidFile() {
        return workDir.resolve(PID_FILE);
    }

    public int httpPort() {
        return httpPort;
    }

    public int tcpPort() {
        return tcpPort;
    }

    /** The server configuration; directories end in '/' as ClickHouse expects. */
    public String renderConfig() {
        return """
                <?xml version="1.0"?>
                <!-- Written by dev.eventpipeline.embedded.clickhouse.ClickHouseServer; rewritten at every start. -->
                <yandex>
                    <logger>
                        <level>warning</level>
                        <log>%s</log>
                        <errorlog>%s</errorlog>
                        <size>50M</size>
                        <count>3</count>
                    </logger>
                    <listen_host>127.0.0.1</listen_host>
                    <http_port>%d</http_port>
                    <tcp_port>%d</tcp_port>
                    <!-- no interserver_http_port: no replication, so no third port to collide with -->
                    <path>%s/</path>
                    <tmp_path>%s/</tmp_path>
                    <user_files_path>%s/</user_files_path>
                    <format_schema_path>%s/</format_schema_path>
                    <users_config>%s</users_config>
                    <default_profile>default</default_profile>
                    <default_database>default</default_database>
                    <!-- Server-side time functions (now(), toDate of DateTime without a zone) in UTC, whatever the host. -->
                    <timezone>UTC</timezone>
                    <max_connections>1024</max_connections>
                    <!-- Idle keep-alive connections delay a SIGTERM stop by up to this many seconds. -->
                    <keep_alive_timeout>3</keep_alive_timeout>
                    <max_concurrent_queries>100</max_concurrent_queries>
                    <mark_cache_size>268435456</mark_cache_size>
                    <uncompressed_cache_size>268435456</uncompressed_cache_size>
                    <mlock_executable>false</mlock_executable>
                    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
                    <max_session_timeout>3600</max_session_timeout>
                    <default_session_timeout>60</default_session_timeout>
                </yandex>
                """.formatted(
                xml(logFile()), xml(errorLogFile()), httpPort, tcpPort,
                xml(dataDir()), xml(tmpDir()), xml(userFilesDir()), xml(formatSchemaDir()), xml(usersFile()));
    }

    /** One {@code default} user without password, loopback only; no quotas beyond accounting. */
    public String renderUsers() {
        return """
                <?xml version="1.0"?>
                <!-- Written by dev.eventpipeline.embedded.clickhouse.ClickHouseServer; rewritten at every start. -->
                <yandex>
                    <profiles>
                        <default>
                            <max_memory_usage>4000000000</max_memory_usage>
                            <use_uncompressed_cache>0</use_uncompressed_cache>
                            <load_balancing>random</load_balancing>
                        </default>
                    </profiles>
                    <users>
                        <default>
                            <password></password>
                            <networks>
                                <ip>127.0.0.1</ip>
                                <ip>::1</ip>
                            </networks>
                            <profile>default</profile>
                            <quota>default</quota>
                        </default>
                    </users>
                    <quotas>
                        <default>
                            <interval>
                                <duration>3600</duration>
                                <queries>0</queries>
                                <errors>0</errors>
                                <result_rows>0</result_rows>
                                <read_rows>0</read_rows>
                                <execution_time>0</execution_time>
                            </interval>
                        </default>
                    </quotas>
                </yandex>
                """;
    }

    private static String xml(Path path) {
        return path.toString()
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }
}
