package dev.eventpipeline.gateway.health;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Kafka is up when the cluster answers a describe-cluster with at least one broker. */
public final class KafkaProbe implements DependencyProbe {
    private final Admin admin;

    public KafkaProbe(Admin admin) {
        this.admin = admin;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Check check() {
        long t0 = System.nanoTime();
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000));
            int brokers = cluster.nodes().get(2, TimeUnit.SECONDS).size();
            String id = cluster.clusterId().get(2, TimeUnit.SECONDS);
            return Check.up(name(), brokers + " broker(s), cluster " + id, millisSince(t0));
        } catch (ExecutionException e) {
            return Check.down(name(), e.getCause().toString(), millisSince(t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.down(name(), "interrupted", millisSince(t0));
        } catch (Exception e) {
            return Check.down(name(), e.toString(), millisSince(t0));
        }
    }

    static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
