package io.jfutures.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What {@link Codec#write} writes into: a growable byte array that goes to a channel without a
 * copy. Bulk runs are written straight into its array, and it grows to fit a run exactly, so that a
 * chunk ending in one run fills it to the last byte and {@link Codec#encode} returns it as it is.
 */
public final class Buffer extends ByteArrayOutputStream {
  /** Ints and longs go in and out of byte arrays through these views, big-endian. */
  static final VarHandle INT_VIEW =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  static final VarHandle LONG_VIEW =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The largest array a JVM will make, and so the largest value that can travel. */
  static final int MAX_BYTES = Integer.MAX_VALUE - 8;

  public Buffer() {
    super(256);
  }

  /** The buffer's own array; its first {@link #size()} bytes are what was written. */
  public byte[] array() {
    return buf;
  }

  void writeByte(int value) throws IOException {
    claim(1);
    buf[count - 1] = (byte) value;
  }

  void writeBoolean(boolean value) throws IOException {
    writeByte(value ? 1 : 0);
  }

  void writeInt(int value) throws IOException {
    int at = claim(4);
    INT_VIEW.set(buf, at, value);
  }

  void writeLong(long value) throws IOException {
    int at = claim(8);
    LONG_VIEW.set(buf, at, value);
  }

  /**
   * Counts the next {@code n} bytes as written and returns where they start, for the caller to
   * fill.
   *
   * @throws IOException if the buffer would outgrow the largest array, which is also the largest
   *     frame
   */
  int claim(long n) throws IOException {
    if (n > MAX_BYTES - count) {
      throw new IOException(
          "a value too big to travel: " + (count + n) + " bytes, over the limit of " + MAX_BYTES);
    }
    if (n > buf.length - count) {
      buf = Arrays.copyOf(buf, (int) Math.min(MAX_BYTES, Math.max(count + n, 2L * buf.length)));
    }
    count += (int) n;
    return count - (int) n;
  }

  /** Drops what was written after the first {@code size} bytes. */
  public void truncate(int size) {
    count = size;
  }

  /** A string as its length in UTF-8 bytes, then those bytes. */
  void writeString(String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    writeInt(bytes.length);
    writeBytes(bytes);
  }
}
