package io.jfutures.codec;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;

/** What {@link Codec#read} reads from: a range of an array, read in place. */
final class Input {
  final byte[] bytes;
  private int position;
  private final int end;

  Input(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.position = offset;
    this.end = offset + length;
  }

  /** Moves past the next {@code n} bytes and returns where they start. */
  int take(long n) throws EOFException {
    if (n < 0 || n > end - position) {
      throw new EOFException(
          "corrupt stream: " + n + " bytes wanted, " + (end - position) + " left");
    }
    position += (int) n;
    return position - (int) n;
  }

  byte readByte() throws EOFException {
    return bytes[take(1)];
  }

  boolean readBoolean() throws EOFException {
    return readByte() != 0;
  }

  int readInt() throws EOFException {
    return (int) Buffer.INT_VIEW.get(bytes, take(4));
  }

  long readLong() throws EOFException {
    return (long) Buffer.LONG_VIEW.get(bytes, take(8));
  }

  int remaining() {
    return end - position;
  }

  /** The next {@code n} bytes as a stream of their own; the caller reads them all or none. */
  ByteArrayInputStream stream(int n) throws EOFException {
    return new ByteArrayInputStream(bytes, take(n), n);
  }

  String readString() throws EOFException {
    int length = readInt();
    return new String(bytes, take(length), length, StandardCharsets.UTF_8);
  }
}
