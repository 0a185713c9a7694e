package dev.eventpipeline.reliability.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one connection per request ({@code Connection: close}). The corpus needs
 * what well-behaved clients refuse to do (any bytes as body, any header), and it must still read the
 * answer when the server answers 413 and closes while the client is still writing an oversized body.
 */
final class RawHttp {
    record Response(int status, String text) {
    }

    private RawHttp() {
    }

    static Response send(String host, int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append(':').append(port).append("\r\nConnection: close\r\nContent-Length: ")
                    .append(body.length).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // The server may answer (413) and close before the whole body is written: read what it said.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    response.write(buf, 0, n);
                }
            } catch (IOException e) {
                if (response.size() == 0) {
                    throw e;
                }
            }
            String text = response.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.")) {
                throw new IOException("no HTTP answer (" + response.size() + " bytes)");
            }
            return new Response(Integer.parseInt(text.substring(9, 12)), text);
        }
    }
}
