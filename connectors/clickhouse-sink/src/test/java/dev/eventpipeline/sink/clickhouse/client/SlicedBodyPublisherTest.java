package dev.eventpipeline.sink.clickhouse.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

class SlicedBodyPublisherTest {
    /** Records what the publisher does; requests {@code perCall} more from inside onNext (re-entrantly). */
    private static final class Recorder implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> sliceSizes = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        int completions;
        Flow.Subscription subscription;
        private final long perCall;

        Recorder(long perCall) {
            this.perCall = perCall;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void onNext(ByteBuffer item) {
            assertThat(item.isReadOnly()).isTrue();
            sliceSizes.add(item.remaining());
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            received.writeBytes(bytes);
            if (perCall > 0) {
                subscription.request(perCall);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            errors.add(throwable);
        }

        @Override
        public void onComplete() {
            completions++;
        }
    }

    private static byte[] body(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        return body;
    }

    @Test
    void emitsTheArrayInSlicesOneRequestAtATimeThenCompletesOnce() {
        byte[] body = body(SlicedBodyPublisher.SLICE * 2 + 5);
        SlicedBodyPublisher publisher = new SlicedBodyPublisher(body);
        Recorder recorder = new Recorder(0);
        publisher.subscribe(recorder);

        recorder.subscription.request(1);
        assertThat(recorder.sliceSizes).containsExactly(SlicedBodyPublisher.SLICE);
        recorder.subscription.request(1);
        recorder.subscription.request(1);
        assertThat(recorder.completions).isEqualTo(1);
        recorder.subscription.request(1);

        assertThat(publisher.contentLength()).isEqualTo(body.length);
        assertThat(recorder.sliceSizes).containsExactly(SlicedBodyPublisher.SLICE, SlicedBodyPublisher.SLICE, 5);
        assertThat(recorder.received.toByteArray()).isEqualTo(body);
        assertThat(recorder.completions).isEqualTo(1);
        assertThat(recorder.errors).isEmpty();
    }

    @Test
    void requestsFromInsideOnNextDoNotRecurseOrReorder() {
        byte[] body = body(SlicedBodyPublisher.SLICE * 5 + 1);
        Recorder recorder = new Recorder(1);
        new SlicedBodyPublisher(body).subscribe(recorder);

        recorder.subscription.request(1);

        assertThat(recorder.received.toByteArray()).isEqualTo(body);
        assertThat(recorder.sliceSizes).hasSize(6);
        assertThat(recorder.completions).isEqualTo(1);
    }

    @Test
    void everySubscriptionStartsFromTheFirstByte() {
        byte[] body = body(1000);
        SlicedBodyPublisher publisher = new SlicedBodyPublisher(body);
        for (int attempt = 0; attempt < 2; attempt++) {
            Recorder recorder = new Recorder(0);
            publisher.subscribe(recorder);
            recorder.subscription.request(Long.MAX_VALUE);
            recorder.subscription.request(Long.MAX_VALUE); // demand saturates instead of overflowing

            assertThat(recorder.received.toByteArray()).isEqualTo(body);
            assertThat(recorder.completions).isEqualTo(1);
        }
    }

    @Test
    void anEmptyBodyCompletesAtTheFirstRequest() {
        Recorder recorder = new Recorder(0);
        new SlicedBodyPublisher(new byte[0]).subscribe(recorder);
        assertThat(recorder.completions).isZero();

        recorder.subscription.request(1);

        assertThat(recorder.sliceSizes).isEmpty();
        assertThat(recorder.completions).isEqualTo(1);
    }

    @Test
    void aNonPositiveRequestIsAnErrorAndEndsTheSubscription() {
        Recorder recorder = new Recorder(0);
        new SlicedBodyPublisher(body(10)).subscribe(recorder);

        recorder.subscription.request(0);
        recorder.subscription.request(1);

        assertThat(recorder.errors).singleElement().isInstanceOf(IllegalArgumentException.class);
        assertThat(recorder.sliceSizes).isEmpty();
        assertThat(recorder.completions).isZero();
    }

    @Test
    void cancelStopsTheSlices() {
        Recorder recorder = new Recorder(0);
        new SlicedBodyPublisher(body(SlicedBodyPublisher.SLICE * 3)).subscribe(recorder);

        recorder.subscription.request(1);
        recorder.subscription.cancel();
        recorder.subscription.request(5);

        assertThat(recorder.sliceSizes).hasSize(1);
        assertThat(recorder.completions).isZero();
    }
}
