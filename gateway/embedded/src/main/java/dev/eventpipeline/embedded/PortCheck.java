package dev.eventpipeline.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port probes used before starting a server and by tests that need free ports. */
public final class PortCheck {
    private PortCheck() {
    }

    public static boolean isListening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first of {@code count} consecutive ports that were all free a moment ago (tests only: there is an
     * inherent race), for servers that listen on a base port plus a task number. Taken below the kernel's
     * ephemeral range (32768 and up on Linux): {@link #freePort()} + 1 is often the next port an outgoing
     * connection is given, and a test once failed on exactly that.
     */
    public static int freePorts(int count) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int base = 20_000 + random.nextInt(12_000 - count);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports between 20000 and 32000");
    }

    private static boolean allFree(int base, int count) {
        java.util.List<ServerSocket> bound = new java.util.ArrayList<>();
        try {
            for (int port = base; port < base + count; port++) {
                ServerSocket s = new ServerSocket();
                bound.add(s);
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(port));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (ServerSocket s : bound) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket: nothing to do
                }
            }
        }
    }

    /** A port that was free a moment ago (tests only: there is an inherent race). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
