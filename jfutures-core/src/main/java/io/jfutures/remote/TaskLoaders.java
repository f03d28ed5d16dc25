package io.jfutures.remote;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The pool's side of the program's code in its workers: the class loaders that defined the tasks it
 * sent, by number, so that a worker can ask for a class or resource that its own class path lacks,
 * of the loader that defined the task it is decoding. A loader is held weakly: a program that drops
 * a loader (a rebuilt plugin, a finished jshell session) lets it go, and a new loader gets a new
 * number, so a worker never mixes two versions of a class. Thread-safe.
 */
public final class TaskLoaders {
  /** Larger class files or resources are refused rather than read into memory. */
  public static final int MAX_BYTES = 64 << 20;

  private final Map<ClassLoader, Integer> ids = new WeakHashMap<>();
  private final Map<Integer, WeakReference<ClassLoader>> loaders = new HashMap<>();
  private int nextId = 1;

  /** The number of {@code loader}; 0 for the bootstrap loader, which has nothing to serve. */
  public synchronized int idOf(ClassLoader loader) {
    if (loader == null) {
      return 0;
    }
    Integer id = ids.get(loader);
    if (id == null) {
      id = nextId++;
      ids.put(loader, id);
      loaders.put(id, new WeakReference<>(loader));
    }
    return id;
  }

  /** The loader numbered {@code id}, or null if there is none (any more). */
  public synchronized ClassLoader loader(int id) {
    WeakReference<ClassLoader> ref = loaders.get(id);
    return ref == null ? null : ref.get();
  }

  /** The bytes of resource {@code name} as {@code loader} has them, or null if it has none. */
  public static byte[] read(ClassLoader loader, String name) throws IOException {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException(name + " is over " + MAX_BYTES + " bytes");
      }
      return bytes;
    }
  }

  /** How a message names {@code loader}. */
  public static String describe(ClassLoader loader) {
    if (loader == null) {
      return "no class loader (it was collected)";
    }
    String name = loader.getName();
    return "class loader " + (name != null ? "'" + name + "' (" + loader + ")" : loader.toString());
  }
}
