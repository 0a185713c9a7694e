package dev.eventpipeline.sink.clickhouse.mapping;

import java.util.Arrays;

/**
 * A growable buffer that writes ClickHouse's {@code RowBinary} encoding: little-endian fixed-width
 * numbers, LEB128 lengths, UTF-8 strings. One per mapper, reset per row, so encoding a row allocates
 * only its final copy.
 */
public final class RowBinaryBuffer {
    private byte[] buf = new byte[1024];
    private int size;

    public void reset() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    public void byteValue(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** Unsigned LEB128, as ClickHouse writes string and array lengths. */
    public void varUInt(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** The low {@code bytes} bytes of {@code value}, little-endian (two's complement, so UInt64 above Long.MAX_VALUE too). */
    public void littleEndian(long value, int bytes) {
        ensure(bytes);
        for (int i = 0; i < bytes; i++) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
    }

    public void float32(float value) {
        littleEndian(Float.floatToRawIntBits(value) & 0xFFFF_FFFFL, 4);
    }

    public void float64(double value) {
        littleEndian(Double.doubleToRawLongBits(value), 8);
    }

    /** Length-prefixed bytes that already are UTF-8 ({@code bytes[offset .. offset + length)}). */
    public void utf8(byte[] bytes, int offset, int length) {
        varUInt(length);
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
    }

    /**
     * Length-prefixed UTF-8 (unpaired surrogates become '?', as String.getBytes does). getBytes is the JDK's
     * vectorised path (an ASCII string is one array copy), faster than checking and copying char by char.
     */
    public void string(String s) {
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        utf8(utf8, 0, utf8.length);
    }
}
