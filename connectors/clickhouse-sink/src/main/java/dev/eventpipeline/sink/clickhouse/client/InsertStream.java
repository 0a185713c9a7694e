package dev.eventpipeline.sink.clickhouse.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An INSERT whose body is written while it is being sent ({@code Transfer-Encoding: chunked}): the caller
 * writes rows as it encodes them and the HTTP client sends them in chunks of {@value #CHUNK} bytes, so the
 * JVM holds a few chunks instead of the whole batch, and ClickHouse forms blocks of up to
 * {@code max_insert_block_size} rows from one request (fewer, bigger parts: less merging). ClickHouse answers
 * once the body has ended and every block is written; 200 means every row is stored.
 *
 * <p>The HTTP client reads the body on its own thread ({@code BodyPublishers.ofInputStream}), so the socket
 * writes stay off the task's thread. {@link #write} blocks while {@value #QUEUED} chunks wait to be sent
 * (back-pressure from ClickHouse) and throws as soon as the request has failed. One thread writes.
 */
public final class InsertStream {
    static final int CHUNK = 256 * 1024;
    static final int QUEUED = 8;
    private static final long POLL_MILLIS = 200;

    private record Chunk(byte[] data, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final BlockingQueue<Chunk> queued = new ArrayBlockingQueue<>(QUEUED);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUED + 2);
    private final Body body = new Body();
    private volatile boolean aborted;
    private CompletableFuture<Void> result;
    private byte[] chunk = new byte[CHUNK];
    private int used;
    private long written;
    private boolean finished;

    InsertStream() {
    }

    /** The request body, read by the HTTP client. */
    InputStream body() {
        return body;
    }

    void sending(CompletableFuture<Void> response) {
        this.result = response;
    }

    /** Appends bytes to the body. */
    public void write(byte[] data, int offset, int length) throws ClickHouseException {
        if (finished) {
            throw new IllegalStateException("INSERT body already ended");
        }
        if (aborted) {
            throw new ClickHouseException("streamed INSERT aborted", ClickHouseException.NO_CODE,
                    ClickHouseException.NO_STATUS, true, null);
        }
        int at = offset;
        int left = length;
        while (left > 0) {
            int n = Math.min(left, CHUNK - used);
            System.arraycopy(data, at, chunk, used, n);
            used += n;
            at += n;
            left -= n;
            if (used == CHUNK) {
                push(new Chunk(chunk, used));
                byte[] recycled = free.poll();
                chunk = recycled == null ? new byte[CHUNK] : recycled;
                used = 0;
            }
        }
        written += length;
    }

    public void write(byte[] data) throws ClickHouseException {
        write(data, 0, data.length);
    }

    /** Whether a write now would not wait for the sender (there is room for another chunk in the queue). */
    public boolean ready() {
        return queued.remainingCapacity() > 0;
    }

    /** Bytes written so far. */
    public long written() {
        return written;
    }

    /** Ends the body; ClickHouse answers when it has written the last block ({@link #await}). */
    public void finish() throws ClickHouseException {
        if (finished) {
            return;
        }
        finished = true;
        if (used > 0) {
            push(new Chunk(chunk, used));
        }
        push(END);
    }

    /** Whether ClickHouse has answered (or the request failed). */
    public boolean done() {
        return result.isDone();
    }

    /** Waits for ClickHouse's answer; returns normally only if it stored every row. */
    public void await() throws ClickHouseException {
        try {
            result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new ClickHouseException("interrupted while waiting for a streamed INSERT",
                    ClickHouseException.NO_CODE, ClickHouseException.NO_STATUS, true, e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new ClickHouseException("streamed INSERT aborted", ClickHouseException.NO_CODE,
                    ClickHouseException.NO_STATUS, true, e);
        }
    }

    /**
     * Breaks the request off: the body fails instead of ending, so ClickHouse never sees a clean end of data
     * (it keeps only the blocks it had already written; those rows come again and ReplacingMergeTree
     * collapses the copies).
     */
    public void abort() {
        aborted = true;
        queued.clear();
        if (result != null) {
            result.cancel(true);
        }
    }

    private void push(Chunk c) throws ClickHouseException {
        try {
            while (!queued.offer(c, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (result.isDone() || aborted) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new ClickHouseException("interrupted while streaming an INSERT", ClickHouseException.NO_CODE,
                    ClickHouseException.NO_STATUS, true, e);
        }
        if (result.isDone() && c != END) {
            // the request ended before its body did: ClickHouse refused it or the connection broke
            await();
            throw new ClickHouseException("ClickHouse answered a streamed INSERT before its body ended",
                    ClickHouseException.NO_CODE, ClickHouseException.NO_STATUS, true, null);
        }
        if (aborted) {
            throw new ClickHouseException("streamed INSERT aborted", ClickHouseException.NO_CODE,
                    ClickHouseException.NO_STATUS, true, null);
        }
    }

    private static ClickHouseException failure(Throwable cause) {
        Throwable t = cause;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ClickHouseException e) {
            return e;
        }
        return new ClickHouseException("streamed INSERT failed: " + t, ClickHouseException.NO_CODE,
                ClickHouseException.NO_STATUS, true, t);
    }

    /** The body as the HTTP client reads it: the queued chunks, then end of data (or an error if aborted). */
    private final class Body extends InputStream {
        private Chunk current;
        private int position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || position == current.length()) {
                if (current == END) {
                    return -1;
                }
                if (current != null) {
                    free.offer(current.data());
                    current = null;
                }
                if (aborted) {
                    throw new IOException("streamed INSERT aborted");
                }
                try {
                    current = queued.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while sending a streamed INSERT", e);
                }
                position = 0;
                if (current == END) {
                    return -1;
                }
            }
            if (aborted) {
                throw new IOException("streamed INSERT aborted");
            }
            int n = Math.min(len, current.length() - position);
            System.arraycopy(current.data(), position, b, off, n);
            position += n;
            return n;
        }
    }
}
