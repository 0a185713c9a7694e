package dev.eventpipeline.sink.clickhouse.client;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body that hands the HTTP client read-only views of one array, {@value #SLICE} bytes each.
 * The JDK's {@code BodyPublishers.ofByteArray} copies the array into 16 KiB buffers first: for a 16 MiB
 * INSERT that is one more copy of the body and a thousand flow-control steps on the client's threads.
 * The array must not change until the request is done. Each subscription starts from the first byte.
 */
final class SlicedBodyPublisher implements HttpRequest.BodyPublisher {
    static final int SLICE = 256 * 1024;

    private final byte[] body;

    SlicedBodyPublisher(byte[] body) {
        this.body = body;
    }

    @Override
    public long contentLength() {
        return body.length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Slices(subscriber));
    }

    /** Emits slices while there is demand; one thread at a time emits (the usual drain loop). */
    private final class Slices implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger draining = new AtomicInteger();
        private volatile boolean done;
        private int next; // only touched by the thread that holds the drain loop

        Slices(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (done) {
                return;
            }
            if (n <= 0) {
                done = true;
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                return;
            }
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        private void drain() {
            if (draining.getAndIncrement() != 0) {
                return; // the thread in the loop below sees the new demand
            }
            int missed = 1;
            do {
                while (!done && demand.get() > 0 && next < body.length) {
                    int length = Math.min(SLICE, body.length - next);
                    ByteBuffer slice = ByteBuffer.wrap(body, next, length).slice().asReadOnlyBuffer();
                    next += length;
                    demand.decrementAndGet();
                    subscriber.onNext(slice);
                }
                if (!done && next >= body.length) {
                    done = true;
                    subscriber.onComplete();
                }
                missed = draining.addAndGet(-missed);
            } while (missed != 0);
        }

        @Override
        public void cancel() {
            done = true;
        }
    }
}
