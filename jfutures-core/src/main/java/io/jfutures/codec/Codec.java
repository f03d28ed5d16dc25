package io.jfutures.codec;

import io.jfutures.Fn;
import io.jfutures.RemoteException;
import io.jfutures.base.Chunk;
import io.jfutures.base.ChunkResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.SerializedLambda;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * How values cross between a pool and the JVMs that run its tasks: worker processes and cluster
 * members. Each value is a tag byte and a body. Boxed primitives, strings, primitive arrays, and
 * object arrays of one boxed type or of strings (the inputs and results of map chunks) have compact
 * bodies that cost a few nanoseconds an element; anything else travels by JDK serialization,
 * length-prefixed so that a reader never reads past it. Values are written into a {@link Buffer}
 * and read in place from the array they arrived in, so a bulk run is converted once and never
 * copied on the way.
 *
 * <p>Exceptions carry their class name, message and stack trace as text besides their serialized
 * form, so that a receiver that cannot recreate the class gets a {@link RemoteException} instead.
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
  private static final byte OBJECTS = 11;
  private static final byte INT_BOXES = 12;
  private static final byte LONG_BOXES = 13;
  private static final byte DOUBLE_BOXES = 14;
  private static final byte STRINGS = 15;
  private static final byte CHUNK = 16;
  private static final byte CHUNK_RESULT = 17;
  private static final byte THROWABLE = 18;
  private static final byte LAMBDA = 19;

  /** Bulk arrays are converted through these views in one pass, not one stream call a number. */
  private static final VarHandle INT_VIEW =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private static final VarHandle LONG_VIEW =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The largest array a JVM will make, and so the largest value that can travel. */
  private static final int MAX_BYTES = Integer.MAX_VALUE - 8;

  private Codec() {}

  /**
   * What {@link #write} writes into: a growable byte array that goes to a channel without a copy.
   * Bulk runs are written straight into its array, and it grows to fit a run exactly, so that a
   * chunk ending in one run fills it to the last byte and {@link #encode} returns it as it is.
   */
  public static final class Buffer extends ByteArrayOutputStream {
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
    void truncate(int size) {
      count = size;
    }
  }

  /** What {@link #read} reads from: a range of an array, read in place. */
  private static final class Input {
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
      return (int) INT_VIEW.get(bytes, take(4));
    }

    long readLong() throws EOFException {
      return (long) LONG_VIEW.get(bytes, take(8));
    }

    int remaining() {
      return end - position;
    }

    /** The next {@code n} bytes as a stream of their own; the caller reads them all or none. */
    ByteArrayInputStream stream(int n) throws EOFException {
      return new ByteArrayInputStream(bytes, take(n), n);
    }
  }

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
      writeString(out, s);
    } else if (value instanceof Boolean b) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(b);
    } else if (value instanceof byte[] bytes) {
      out.writeByte(BYTES);
      out.writeInt(bytes.length);
      out.writeBytes(bytes);
    } else if (value instanceof int[] ints) {
      out.writeByte(INTS);
      out.writeInt(ints.length);
      int at = out.claim(4L * ints.length);
      byte[] bytes = out.array();
      for (int i = 0; i < ints.length; i++) {
        INT_VIEW.set(bytes, at + 4 * i, ints[i]);
      }
    } else if (value instanceof long[] longs) {
      out.writeByte(LONGS);
      out.writeInt(longs.length);
      int at = out.claim(8L * longs.length);
      byte[] bytes = out.array();
      for (int i = 0; i < longs.length; i++) {
        LONG_VIEW.set(bytes, at + 8 * i, longs[i]);
      }
    } else if (value instanceof double[] doubles) {
      out.writeByte(DOUBLES);
      out.writeInt(doubles.length);
      int at = out.claim(8L * doubles.length);
      byte[] bytes = out.array();
      for (int i = 0; i < doubles.length; i++) {
        LONG_VIEW.set(bytes, at + 8 * i, Double.doubleToRawLongBits(doubles[i]));
      }
    } else if (value instanceof Chunk<?, ?> chunk) {
      out.writeByte(CHUNK);
      write(out, chunk.fn());
      writeArray(out, chunk.inputs(), chunk.inputs().length);
    } else if (value instanceof ChunkResult result) {
      out.writeByte(CHUNK_RESULT);
      writeArray(out, result.values(), result.succeeded());
      writeThrowable(out, result.failure());
      out.writeLong(result.nanos());
    } else if (value instanceof Throwable t) {
      writeThrowable(out, t);
    } else if (Lambdas.parts(value) instanceof SerializedLambda lambda) {
      out.writeByte(LAMBDA);
      writeLambda(out, lambda);
    } else {
      out.writeByte(JAVA);
      writeJava(out, value);
    }
  }

  private static Object read(Input in) throws IOException, ClassNotFoundException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case DOUBLE:
        return Double.longBitsToDouble(in.readLong());
      case STRING:
        return readString(in);
      case BOOLEAN:
        return in.readBoolean();
      case BYTES:
        {
          int length = in.readInt();
          int at = in.take(length);
          return Arrays.copyOfRange(in.bytes, at, at + length);
        }
      case INTS:
        {
          int length = in.readInt();
          int at = in.take(4L * length);
          int[] ints = new int[length];
          for (int i = 0; i < ints.length; i++) {
            ints[i] = (int) INT_VIEW.get(in.bytes, at + 4 * i);
          }
          return ints;
        }
      case LONGS:
        {
          int length = in.readInt();
          int at = in.take(8L * length);
          long[] longs = new long[length];
          for (int i = 0; i < longs.length; i++) {
            longs[i] = (long) LONG_VIEW.get(in.bytes, at + 8 * i);
          }
          return longs;
        }
      case DOUBLES:
        {
          int length = in.readInt();
          int at = in.take(8L * length);
          double[] doubles = new double[length];
          for (int i = 0; i < doubles.length; i++) {
            doubles[i] = Double.longBitsToDouble((long) LONG_VIEW.get(in.bytes, at + 8 * i));
          }
          return doubles;
        }
      case CHUNK:
        {
          Fn<?, ?> fn = (Fn<?, ?>) read(in);
          return new Chunk<>(fn, readArray(in));
        }
      case CHUNK_RESULT:
        {
          Object[] values = readArray(in);
          Throwable failure = (Throwable) read(in);
          return new ChunkResult(values, values.length, failure, in.readLong());
        }
      case THROWABLE:
        return readThrowableBody(in);
      case LAMBDA:
        return readLambda(in);
      case JAVA:
        return readJava(in);
      default:
        throw new IOException("corrupt stream: unknown tag " + tag);
    }
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

  /**
   * Runs {@code task} and writes what came of it to {@code buffer}: its value, or else what it
   * threw. A value that cannot be written is dropped and a {@link NotSerializableException} naming
   * its class is written in its place.
   *
   * @return true if a value was written, false if a failure was
   */
  public static boolean writeOutcome(Callable<?> task, Buffer buffer) throws IOException {
    Object value;
    try {
      value = task.call();
    } catch (Throwable t) {
      write(buffer, t);
      return false;
    }
    int start = buffer.size();
    try {
      write(buffer, value);
      return true;
    } catch (IOException unsendable) {
      buffer.truncate(start);
      write(buffer, new NotSerializableException("the task's result: " + unsendable.getMessage()));
      return false;
    }
  }

  /** Writes the first {@code length} elements of {@code values}, compactly when they allow it. */
  private static void writeArray(Buffer out, Object[] values, int length) throws IOException {
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
        writeString(out, (String) values[i]);
      }
    } else {
      out.writeByte(OBJECTS);
      out.writeInt(length);
      for (int i = 0; i < length; i++) {
        write(out, values[i]);
      }
    }
  }

  private static Object[] readArray(Input in) throws IOException, ClassNotFoundException {
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
      case INT_BOXES:
        {
          int at = in.take(4L * length);
          for (int i = 0; i < values.length; i++) {
            values[i] = (int) INT_VIEW.get(in.bytes, at + 4 * i);
          }
          break;
        }
      case LONG_BOXES:
        {
          int at = in.take(8L * length);
          for (int i = 0; i < values.length; i++) {
            values[i] = (long) LONG_VIEW.get(in.bytes, at + 8 * i);
          }
          break;
        }
      case DOUBLE_BOXES:
        {
          int at = in.take(8L * length);
          for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble((long) LONG_VIEW.get(in.bytes, at + 8 * i));
          }
          break;
        }
      case STRINGS:
        for (int i = 0; i < values.length; i++) {
          values[i] = readString(in);
        }
        break;
      case OBJECTS:
        for (int i = 0; i < values.length; i++) {
          values[i] = read(in);
        }
        break;
      default:
        throw new IOException("corrupt stream: unknown array tag " + tag);
    }
    return values;
  }

  private static void writeString(Buffer out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.writeBytes(bytes);
  }

  private static String readString(Input in) throws EOFException {
    int length = in.readInt();
    return new String(in.bytes, in.take(length), length, StandardCharsets.UTF_8);
  }

  /** JDK serialization, length-prefixed. */
  private static void writeJava(Buffer out, Object value) throws IOException {
    try {
      writeSerialized(out, value);
    } catch (NotSerializableException e) {
      NotSerializableException named =
          new NotSerializableException(
              e.getMessage()
                  + " is not Serializable (reached from a "
                  + value.getClass().getName()
                  + ")");
      named.initCause(e);
      throw named;
    }
  }

  /** {@code value}'s JDK serialized form after its length; if it fails, none of it stays. */
  private static void writeSerialized(Buffer out, Object value) throws IOException {
    int lengthAt = out.claim(4);
    try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
      oos.writeObject(value);
    } catch (IOException e) {
      out.truncate(lengthAt);
      throw e;
    }
    INT_VIEW.set(out.array(), lengthAt, out.size() - lengthAt - 4);
  }

  private static Object readJava(Input in) throws IOException, ClassNotFoundException {
    int length = in.readInt();
    try (ObjectInputStream ois = new PoolObjectInputStream(in.stream(length), length)) {
      return ois.readObject();
    }
  }

  /** A serializable lambda as its parts: what the JDK would serialize, without its machinery. */
  private static void writeLambda(Buffer out, SerializedLambda lambda) throws IOException {
    writeString(out, lambda.getCapturingClass());
    writeString(out, lambda.getFunctionalInterfaceClass());
    writeString(out, lambda.getFunctionalInterfaceMethodName());
    writeString(out, lambda.getFunctionalInterfaceMethodSignature());
    out.writeInt(lambda.getImplMethodKind());
    writeString(out, lambda.getImplClass());
    writeString(out, lambda.getImplMethodName());
    writeString(out, lambda.getImplMethodSignature());
    writeString(out, lambda.getInstantiatedMethodType());
    out.writeInt(lambda.getCapturedArgCount());
    for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
      Object captured = lambda.getCapturedArg(i);
      try {
        write(out, captured);
      } catch (NotSerializableException e) {
        NotSerializableException named =
            new NotSerializableException(
                e.getMessage()
                    + ", captured by a lambda in "
                    + lambda.getCapturingClass().replace('/', '.'));
        named.initCause(e);
        throw named;
      }
    }
  }

  private static Object readLambda(Input in) throws IOException, ClassNotFoundException {
    String capturingClass = readString(in);
    String functionalInterfaceClass = readString(in);
    String functionalInterfaceMethodName = readString(in);
    String functionalInterfaceMethodSignature = readString(in);
    int implMethodKind = in.readInt();
    String implClass = readString(in);
    String implMethodName = readString(in);
    String implMethodSignature = readString(in);
    String instantiatedMethodType = readString(in);
    int capturedCount = in.readInt();
    if (capturedCount < 0 || capturedCount > in.remaining()) {
      throw new EOFException("corrupt stream: a lambda capturing " + capturedCount + " values");
    }
    Object[] captured = new Object[capturedCount];
    for (int i = 0; i < captured.length; i++) {
      captured[i] = read(in);
    }
    return Lambdas.rebuild(
        new SerializedLambda(
            Lambdas.load(capturingClass),
            functionalInterfaceClass,
            functionalInterfaceMethodName,
            functionalInterfaceMethodSignature,
            implMethodKind,
            implClass,
            implMethodName,
            implMethodSignature,
            instantiatedMethodType,
            captured));
  }

  private static void writeThrowable(Buffer out, Throwable t) throws IOException {
    if (t == null) {
      out.writeByte(NULL);
      return;
    }
    out.writeByte(THROWABLE);
    writeString(out, t.getClass().getName());
    out.writeBoolean(t.getMessage() != null);
    if (t.getMessage() != null) {
      writeString(out, t.getMessage());
    }
    StringWriter stack = new StringWriter();
    t.printStackTrace(new PrintWriter(stack));
    writeString(out, stack.toString());
    try {
      writeSerialized(out, t);
    } catch (IOException notSerializable) {
      out.writeInt(-1);
    }
  }

  private static Throwable readThrowableBody(Input in) throws IOException {
    String className = readString(in);
    String message = in.readBoolean() ? readString(in) : null;
    String stack = readString(in);
    int length = in.readInt();
    if (length >= 0) {
      try (ObjectInputStream ois = new PoolObjectInputStream(in.stream(length), length)) {
        return (Throwable) ois.readObject();
      } catch (IOException | ClassNotFoundException | ClassCastException unreadable) {
        // fall through to the stand-in
      }
    }
    return new RemoteException(className, message, stack);
  }

  /** Resolves classes through the context class loader, where user classes may live. */
  private static final class PoolObjectInputStream extends ObjectInputStream {
    /**
     * A stream of {@code length} bytes. Its filter refuses arrays longer than the stream (each
     * element takes a byte at least), so that a corrupt length is not allocated before it is found
     * out; a JVM-wide filter the user set still applies.
     */
    PoolObjectInputStream(InputStream in, int length) throws IOException {
      super(in);
      ObjectInputFilter bound = ObjectInputFilter.Config.createFilter("maxarray=" + length);
      ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
      setObjectInputFilter(global == null ? bound : ObjectInputFilter.merge(bound, global));
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // try the default resolution
        }
      }
      return super.resolveClass(desc);
    }
  }
}
