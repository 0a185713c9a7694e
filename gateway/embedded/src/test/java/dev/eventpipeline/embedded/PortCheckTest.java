package dev.eventpipeline.embedded;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

class PortCheckTest {
    @Test
    void consecutiveFreePortsCanAllBeBoundAndLieBelowTheEphemeralRange() throws Exception {
        for (int i = 0; i < 20; i++) {
            int base = PortCheck.freePorts(3);
            assertThat(base).isBetween(20_000, 32_000 - 3);
            try (ServerSocket a = new ServerSocket(); ServerSocket b = new ServerSocket(); ServerSocket c = new ServerSocket()) {
                a.bind(new InetSocketAddress(base));
                b.bind(new InetSocketAddress(base + 1));
                c.bind(new InetSocketAddress(base + 2));
                assertThat(PortCheck.isListening("127.0.0.1", base + 1)).isTrue();
            }
        }
    }

    @Test
    void aTakenPortIsNeverPartOfTheRange() throws Exception {
        // occupy every even port of the stretch: a single port must be odd, and no two consecutive ones are free
        java.util.List<ServerSocket> taken = new java.util.ArrayList<>();
        try {
            for (int port = 20_000; port < 32_000; port += 2) {
                try {
                    ServerSocket s = new ServerSocket();
                    s.bind(new InetSocketAddress(port));
                    taken.add(s);
                } catch (java.io.IOException busy) {
                    // already in use by someone else: just as taken
                }
            }
            int base = PortCheck.freePorts(1);
            assertThat(base % 2).as("only odd ports are free").isEqualTo(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PortCheck.freePorts(2))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no 2 consecutive free ports");
        } finally {
            for (ServerSocket s : taken) {
                s.close();
            }
        }
    }
}
