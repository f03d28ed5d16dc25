package io.jfutures.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * JDK serialization, length-prefixed so that a reader never reads past it. Reading resolves classes
 * through the context class loader, where user classes may live, and refuses arrays longer than the
 * bytes that carry them; it only ever reads from a pool's own channels.
 */
final class Serialized {
  private Serialized() {}

  /**
   * Writes {@code value}.
   *
   * @throws NotSerializableException naming the class that cannot travel, and the class of {@code
   *     value} it was reached from
   */
  static void write(Buffer out, Object value) throws IOException {
    try {
      writeOrNothing(out, value);
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

  /** {@code value}'s serialized form after its length; if it fails, none of it stays. */
  static void writeOrNothing(Buffer out, Object value) throws IOException {
    int lengthAt = out.claim(4);
    try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
      oos.writeObject(value);
    } catch (IOException e) {
      out.truncate(lengthAt);
      throw e;
    }
    Buffer.INT_VIEW.set(out.array(), lengthAt, out.size() - lengthAt - 4);
  }

  static Object read(Input in) throws IOException, ClassNotFoundException {
    return read(in, in.readInt());
  }

  /** Reads the {@code length} bytes of one serialized object. */
  static Object read(Input in, int length) throws IOException, ClassNotFoundException {
    try (ObjectInputStream ois = new PoolObjectInputStream(in.stream(length), length)) {
      return ois.readObject();
    }
  }

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
