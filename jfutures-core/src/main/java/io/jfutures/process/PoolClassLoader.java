package io.jfutures.process;

import io.jfutures.remote.FetchedResource;
import java.io.IOException;
import java.net.URL;

/**
 * The worker's class loader for the tasks of one class loader of the pool's: it finds what the
 * worker has first (the JDK, jfutures, and the program's class path entries), and asks the pool,
 * over the worker's pipe, for any other class or resource, defining it from the bytes the pool's
 * loader has. One per loader of the pool's, so two versions of a class (a rebuilt plugin, a
 * redefined jshell snippet) never meet. Parallel capable; the pipe serializes the requests.
 */
final class PoolClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final int id;
  private final CodeChannel channel;

  /**
   * The loader for the pool's loader numbered {@code id}, finding first what {@code parent} has.
   */
  PoolClassLoader(int id, ClassLoader parent, CodeChannel channel) {
    super("jfutures-pool-loader-" + id, parent);
    this.id = id;
    this.channel = channel;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    CodeChannel.Answer answer;
    try {
      answer = channel.fetch(id, name.replace('.', '/') + ".class");
    } catch (IOException e) {
      throw new ClassNotFoundException(
          name + ": the pool could not be asked for it (" + e + ")", e);
    }
    if (answer.bytes() == null) {
      throw new ClassNotFoundException(
          name
              + " is not on the worker's class path, and the pool did not find it either: "
              + answer.missing());
    }
    return defineClass(name, answer.bytes(), 0, answer.bytes().length);
  }

  @Override
  protected URL findResource(String name) {
    CodeChannel.Answer answer;
    try {
      answer = channel.fetch(id, name);
    } catch (IOException e) {
      return null;
    }
    if (answer.bytes() == null) {
      return null;
    }
    return FetchedResource.url("jfutures-pool", id, name, answer.bytes());
  }
}
