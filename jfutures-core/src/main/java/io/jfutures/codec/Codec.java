package io.jfutures.codec;

import io.jfutures.Fn;
import io.jfutures.RemoteException;
import io.jfutures.base.Chunk;
import io.jfutures.base.ChunkResult;
import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.invoke.SerializedLambda;
import java.util.Arrays;

/**
 * How values cross between a pool and the JVMs that run its tasks: worker processes and cluster
 * members. Each value is a tag byte and a body. Boxed primitives, strings, primitive arrays, and
 * object arrays of one boxed type or of strings (the inputs and results of map chunks) have compact
 * bodies ({@link Bulk}) that cost a few nanoseconds an element; serializable lambdas travel as
 * their parts ({@link Lambdas}); exceptions with their class name, message and stack trace as text
 * besides their serialized form ({@link Throwables}), so that a receiver that cannot recreate the
 * class gets a {@link RemoteException}; anything else by JDK serialization ({@link Serialized}),
 * length-prefixed so that a reader never reads past it. Values are written into a {@link Buffer}
 * and read in place from the array they arrived in, so a bulk run is converted once and never
 * copied on the way.
 *
 * <p>Deserialization only ever reads from a pool's own channels; classes resolve through the
 * context class loader, falling back to the JDK's default.
 */
public final class Codec {
  private static final byte NULL = 0;
  private static final byte JAVA = 1;
  private static final byte INT = 2;
  private static final byte LONG = 3;
  private static final byte DOUBLE = 4;
  private static final byte STRING = 5;
  private static final byte BOOLEAN = 6;
  private static final byte BYTES = 7;
  private static final byte INTS = 8;
  private static final byte LONGS = 9;
  private static final byte DOUBLES = 10;
  // 11 to 15 tag the arrays of Bulk.
  private static final byte CHUNK = 16;
  private static final byte CHUNK_RESULT = 17;
  private static final byte THROWABLE = 18;
  private static final byte LAMBDA = 19;

  private Codec() {}

  /**
   * Writes {@code value}.
   *
   * @throws NotSerializableException naming the class that cannot travel
   */
  public static void write(Buffer out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeLong(Double.doubleToRawLongBits(d));
    } else if (value instanceof String s) {
      out.writeByte(STRING);
      out.writeString(s);
    } else if (value instanceof Boolean b) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(b);
    } else if (value instanceof byte[] bytes) {
      out.writeByte(BYTES);
      Bulk.writeBytes(out, bytes);
    } else if (value instanceof int[] ints) {
      out.writeByte(INTS);
      Bulk.writeInts(out, ints);
    } else if (value instanceof long[] longs) {
      out.writeByte(LONGS);
      Bulk.writeLongs(out, longs);
    } else if (value instanceof double[] doubles) {
      out.writeByte(DOUBLES);
      Bulk.writeDoubles(out, doubles);
    } else if (value instanceof Chunk<?, ?> chunk) {
      out.writeByte(CHUNK);
      write(out, chunk.fn());
      Bulk.writeArray(out, chunk.inputs(), chunk.inputs().length);
    } else if (value instanceof ChunkResult result) {
      out.writeByte(CHUNK_RESULT);
      Bulk.writeArray(out, result.values(), result.succeeded());
      write(out, result.failure());
      out.writeLong(result.nanos());
    } else if (value instanceof Throwable t) {
      out.writeByte(THROWABLE);
      Throwables.write(out, t);
    } else if (Lambdas.parts(value) instanceof SerializedLambda lambda) {
      out.writeByte(LAMBDA);
      Lambdas.write(out, lambda);
    } else {
      out.writeByte(JAVA);
      Serialized.write(out, value);
    }
  }

  static Object read(Input in) throws IOException, ClassNotFoundException {
    byte tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case DOUBLE -> Double.longBitsToDouble(in.readLong());
      case STRING -> in.readString();
      case BOOLEAN -> in.readBoolean();
      case BYTES -> Bulk.readBytes(in);
      case INTS -> Bulk.readInts(in);
      case LONGS -> Bulk.readLongs(in);
      case DOUBLES -> Bulk.readDoubles(in);
      case CHUNK -> {
        Fn<?, ?> fn = (Fn<?, ?>) read(in);
        yield new Chunk<>(fn, Bulk.readArray(in));
      }
      case CHUNK_RESULT -> {
        Object[] values = Bulk.readArray(in);
        Throwable failure = (Throwable) read(in);
        yield new ChunkResult(values, values.length, failure, in.readLong());
      }
      case THROWABLE -> Throwables.read(in);
      case LAMBDA -> Lambdas.read(in);
      case JAVA -> Serialized.read(in);
      default -> throw new IOException("corrupt stream: unknown tag " + tag);
    };
  }

  /**
   * {@code value} as bytes.
   *
   * @throws NotSerializableException naming the class that cannot travel
   */
  public static byte[] encode(Object value) throws IOException {
    Buffer buffer = new Buffer();
    write(buffer, value);
    byte[] bytes = buffer.array();
    return bytes.length == buffer.size() ? bytes : Arrays.copyOf(bytes, buffer.size());
  }

  public static Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Decodes one value from {@code length} bytes of {@code bytes}, read in place. Corrupt bytes fail
   * with an {@link IOException} (or {@link ClassNotFoundException} for a class this JVM lacks),
   * never with what a decoder happened to throw, and never allocate more than the bytes could hold.
   */
  public static Object decode(byte[] bytes, int offset, int length)
      throws IOException, ClassNotFoundException {
    try {
      return read(new Input(bytes, offset, length));
    } catch (RuntimeException | StackOverflowError e) {
      throw new IOException("corrupt stream: " + e, e);
    }
  }
}
