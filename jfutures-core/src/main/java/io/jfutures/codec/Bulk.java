package io.jfutures.codec;

import static io.jfutures.codec.Buffer.INT_VIEW;
import static io.jfutures.codec.Buffer.LONG_VIEW;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * The compact bodies of arrays: primitive arrays, and object arrays whose elements are all of one
 * boxed type or all strings (a map chunk's inputs and results). Each is converted in one pass
 * straight into, or out of, the buffer's array, a few nanoseconds an element; an array of mixed
 * elements is written element by element. A read never allocates more than its bytes could hold.
 */
final class Bulk {
  static final byte INT_BOXES = 12;
  static final byte LONG_BOXES = 13;
  static final byte DOUBLE_BOXES = 14;
  static final byte STRINGS = 15;
  static final byte OBJECTS = 11;

  private Bulk() {}

  static void writeBytes(Buffer out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.writeBytes(bytes);
  }

  static byte[] readBytes(Input in) throws EOFException {
    int length = in.readInt();
    int at = in.take(length);
    return Arrays.copyOfRange(in.bytes, at, at + length);
  }

  static void writeInts(Buffer out, int[] ints) throws IOException {
    out.writeInt(ints.length);
    int at = out.claim(4L * ints.length);
    byte[] bytes = out.array();
    for (int i = 0; i < ints.length; i++) {
      INT_VIEW.set(bytes, at + 4 * i, ints[i]);
    }
  }

  static int[] readInts(Input in) throws EOFException {
    int length = in.readInt();
    int at = in.take(4L * length);
    int[] ints = new int[length];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = (int) INT_VIEW.get(in.bytes, at + 4 * i);
    }
    return ints;
  }

  static void writeLongs(Buffer out, long[] longs) throws IOException {
    out.writeInt(longs.length);
    int at = out.claim(8L * longs.length);
    byte[] bytes = out.array();
    for (int i = 0; i < longs.length; i++) {
      LONG_VIEW.set(bytes, at + 8 * i, longs[i]);
    }
  }

  static long[] readLongs(Input in) throws EOFException {
    int length = in.readInt();
    int at = in.take(8L * length);
    long[] longs = new long[length];
    for (int i = 0; i < longs.length; i++) {
      longs[i] = (long) LONG_VIEW.get(in.bytes, at + 8 * i);
    }
    return longs;
  }

  static void writeDoubles(Buffer out, double[] doubles) throws IOException {
    out.writeInt(doubles.length);
    int at = out.claim(8L * doubles.length);
    byte[] bytes = out.array();
    for (int i = 0; i < doubles.length; i++) {
      LONG_VIEW.set(bytes, at + 8 * i, Double.doubleToRawLongBits(doubles[i]));
    }
  }

  static double[] readDoubles(Input in) throws EOFException {
    int length = in.readInt();
    int at = in.take(8L * length);
    double[] doubles = new double[length];
    for (int i = 0; i < doubles.length; i++) {
      doubles[i] = Double.longBitsToDouble((long) LONG_VIEW.get(in.bytes, at + 8 * i));
    }
    return doubles;
  }

  /** Writes the first {@code length} elements of {@code values}, compactly when they allow it. */
  static void writeArray(Buffer out, Object[] values, int length) throws IOException {
    Class<?> common = length == 0 || values[0] == null ? null : values[0].getClass();
    for (int i = 1; i < length && common != null; i++) {
      if (values[i] == null || values[i].getClass() != common) {
        common = null;
      }
    }
    if (common == Integer.class) {
      out.writeByte(INT_BOXES);
      out.writeInt(length);
      int at = out.claim(4L * length);
      byte[] bytes = out.array();
      for (int i = 0; i < length; i++) {
        INT_VIEW.set(bytes, at + 4 * i, (int) (Integer) values[i]);
      }
    } else if (common == Long.class) {
      out.writeByte(LONG_BOXES);
      out.writeInt(length);
      int at = out.claim(8L * length);
      byte[] bytes = out.array();
      for (int i = 0; i < length; i++) {
        LONG_VIEW.set(bytes, at + 8 * i, (long) (Long) values[i]);
      }
    } else if (common == Double.class) {
      out.writeByte(DOUBLE_BOXES);
      out.writeInt(length);
      int at = out.claim(8L * length);
      byte[] bytes = out.array();
      for (int i = 0; i < length; i++) {
        LONG_VIEW.set(bytes, at + 8 * i, Double.doubleToRawLongBits((Double) values[i]));
      }
    } else if (common == String.class) {
      out.writeByte(STRINGS);
      out.writeInt(length);
      for (int i = 0; i < length; i++) {
        out.writeString((String) values[i]);
      }
    } else {
      out.writeByte(OBJECTS);
      out.writeInt(length);
      for (int i = 0; i < length; i++) {
        Codec.write(out, values[i]);
      }
    }
  }

  static Object[] readArray(Input in) throws IOException, ClassNotFoundException {
    byte tag = in.readByte();
    int length = in.readInt();
    // Every element takes at least one byte, so a length beyond what is left is a lie, and
    // believing it would allocate what the stream only claims.
    if (length < 0 || length > in.remaining()) {
      throw new EOFException(
          "corrupt stream: an array of " + length + " elements in " + in.remaining() + " bytes");
    }
    Object[] values = new Object[length];
    switch (tag) {
      case INT_BOXES -> {
        int at = in.take(4L * length);
        for (int i = 0; i < values.length; i++) {
          values[i] = (int) INT_VIEW.get(in.bytes, at + 4 * i);
        }
      }
      case LONG_BOXES -> {
        int at = in.take(8L * length);
        for (int i = 0; i < values.length; i++) {
          values[i] = (long) LONG_VIEW.get(in.bytes, at + 8 * i);
        }
      }
      case DOUBLE_BOXES -> {
        int at = in.take(8L * length);
        for (int i = 0; i < values.length; i++) {
          values[i] = Double.longBitsToDouble((long) LONG_VIEW.get(in.bytes, at + 8 * i));
        }
      }
      case STRINGS -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readString();
        }
      }
      case OBJECTS -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = Codec.read(in);
        }
      }
      default -> throw new IOException("corrupt stream: unknown array tag " + tag);
    }
    return values;
  }
}
