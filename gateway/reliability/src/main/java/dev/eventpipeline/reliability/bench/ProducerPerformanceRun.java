package dev.eventpipeline.reliability.bench;

import dev.eventpipeline.reliability.load.CartEvents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own {@code ProducerPerformance} (kafka-tools) in a child JVM against the pipeline's broker,
 * with the benchmark's events as payloads and the Connect worker's producer settings: the physical
 * limit to compare the pipeline with, measured in the same run.
 */
final class ProducerPerformanceRun {
    private static final Pattern RATE = Pattern.compile("([0-9.]+) records/sec");

    record Result(double recordsPerSecond, int recordBytes, String line) {
    }

    private ProducerPerformanceRun() {
    }

    static Result run(String bootstrap, int records, List<String> classPath, Path work) throws IOException, InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("bench-pp", 2, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IOException(e.getCause());
            }
        }
        Path payload = work.resolve("pp-payload.txt");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            lines.append(CartEvents.one(CartEvents.id("pp", "p", i), i)).append('\n');
        }
        Files.writeString(payload, lines);
        int bytes = CartEvents.one(CartEvents.id("pp", "p", 123456), 123456).getBytes(StandardCharsets.UTF_8).length;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", String.join(java.io.File.pathSeparator, classPath), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", "bench-pp", "--num-records", Integer.toString(records), "--payload-file", payload.toString(),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "linger.ms=5",
                "batch.size=65536", "compression.type=lz4"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String last = out.lines().filter(l -> l.contains("records sent")).reduce((a, b) -> b).orElse(out.trim());
        Matcher m = RATE.matcher(last);
        return new Result(m.find() ? Double.parseDouble(m.group(1)) : 0, bytes, last);
    }
}
