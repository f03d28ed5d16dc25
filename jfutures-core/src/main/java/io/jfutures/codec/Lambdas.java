package io.jfutures.codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.invoke.SerializedLambda;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Takes serializable lambdas apart and puts them back together, the way JDK serialization does but
 * without an object stream: the lambda's own {@code writeReplace} gives its {@link
 * SerializedLambda}, and the capturing class's {@code $deserializeLambda$} turns one back into a
 * lambda. Both are private, so they are reached by reflection, which works where the classes are on
 * the class path (always so in a worker) or their package is open to jfutures; where it does not,
 * {@link #parts} says so and the caller falls back to JDK serialization.
 */
final class Lambdas {
  /** Per lambda class: its writeReplace, or null if it has none we may call. */
  private static final ClassValue<Method> WRITE_REPLACE =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          if (!type.isSynthetic() || !java.io.Serializable.class.isAssignableFrom(type)) {
            return null;
          }
          try {
            Method m = type.getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            return m;
          } catch (NoSuchMethodException | RuntimeException notReachable) {
            return null;
          }
        }
      };

  /**
   * The last classes looked up, by name and loader, held weakly so that a dropped loader goes: a
   * worker decodes the same few lambda classes over and over, and a rebuilt class in a new loader
   * of the same name must not be mistaken for the old one.
   */
  private record Known(
      String name, WeakReference<ClassLoader> loader, WeakReference<Class<?>> type) {}

  private static final Known[] KNOWN = new Known[8];
  private static int nextKnown;
  private static final ClassValue<Method> DESERIALIZE =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          try {
            Method m = type.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            m.setAccessible(true);
            return m;
          } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no serializable lambdas", e);
          }
        }
      };

  private Lambdas() {}

  /** The parts of {@code value} if it is a serializable lambda we can take apart, else null. */
  static SerializedLambda parts(Object value) {
    Method writeReplace = WRITE_REPLACE.get(value.getClass());
    if (writeReplace == null) {
      return null;
    }
    try {
      return writeReplace.invoke(value) instanceof SerializedLambda lambda ? lambda : null;
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }

  /** A serializable lambda as its parts: what the JDK would serialize, without its machinery. */
  static void write(Buffer out, SerializedLambda lambda) throws IOException {
    out.writeString(lambda.getCapturingClass());
    out.writeString(lambda.getFunctionalInterfaceClass());
    out.writeString(lambda.getFunctionalInterfaceMethodName());
    out.writeString(lambda.getFunctionalInterfaceMethodSignature());
    out.writeInt(lambda.getImplMethodKind());
    out.writeString(lambda.getImplClass());
    out.writeString(lambda.getImplMethodName());
    out.writeString(lambda.getImplMethodSignature());
    out.writeString(lambda.getInstantiatedMethodType());
    out.writeInt(lambda.getCapturedArgCount());
    for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
      Object captured = lambda.getCapturedArg(i);
      try {
        Codec.write(out, captured);
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

  static Object read(Input in) throws IOException, ClassNotFoundException {
    String capturingClass = in.readString();
    String functionalInterfaceClass = in.readString();
    String functionalInterfaceMethodName = in.readString();
    String functionalInterfaceMethodSignature = in.readString();
    int implMethodKind = in.readInt();
    String implClass = in.readString();
    String implMethodName = in.readString();
    String implMethodSignature = in.readString();
    String instantiatedMethodType = in.readString();
    int capturedCount = in.readInt();
    if (capturedCount < 0 || capturedCount > in.remaining()) {
      throw new EOFException("corrupt stream: a lambda capturing " + capturedCount + " values");
    }
    Object[] captured = new Object[capturedCount];
    for (int i = 0; i < captured.length; i++) {
      captured[i] = Codec.read(in);
    }
    return rebuild(
        new SerializedLambda(
            load(capturingClass),
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

  static Class<?> load(String internalName) throws ClassNotFoundException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    synchronized (KNOWN) {
      for (Known known : KNOWN) {
        if (known != null && known.loader().get() == loader && known.name().equals(internalName)) {
          Class<?> type = known.type().get();
          if (type != null) {
            return type;
          }
        }
      }
    }
    Class<?> type = Class.forName(internalName.replace('/', '.'), false, loader);
    synchronized (KNOWN) {
      KNOWN[nextKnown] =
          new Known(internalName, new WeakReference<>(loader), new WeakReference<>(type));
      nextKnown = (nextKnown + 1) % KNOWN.length;
    }
    return type;
  }

  static Object rebuild(SerializedLambda lambda) throws ClassNotFoundException {
    Class<?> capturing = load(lambda.getCapturingClass());
    try {
      return DESERIALIZE.get(capturing).invoke(null, lambda);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot rebuild a lambda of " + capturing.getName(), e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "cannot rebuild a lambda of " + capturing.getName() + ": " + e.getCause(), e.getCause());
    }
  }
}
