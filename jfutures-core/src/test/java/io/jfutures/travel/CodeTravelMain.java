package io.jfutures.travel;

import io.jfutures.ProcessPool;
import io.jfutures.Task;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A program that runs a plugin's tasks on a process pool: the plugin's classes are in the folder
 * {@code args[0]}, read by a class loader of the program's own, on no class path at all. Prints
 * what came back, for {@code CodeTravelTest}.
 */
public final class CodeTravelMain {
  private CodeTravelMain() {}

  public static void main(String[] args) throws Exception {
    URL plugin = Path.of(args[0]).toUri().toURL();
    try (URLClassLoader loader =
            new URLClassLoader(
                "plugin", new URL[] {plugin}, CodeTravelMain.class.getClassLoader());
        ProcessPool pool = ProcessPool.create(1)) {
      Task<?> task = task(loader, "PluginTask");
      Object result = pool.submit(task).result();
      System.out.println("result: " + result);
      System.out.println("result class loader: " + result.getClass().getClassLoader().getName());
      Throwable failure = pool.submit(task(loader, "BrokenTask")).exception();
      System.out.println("failure: " + failure);
      for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
        System.out.println("caused by: " + cause);
      }
      System.out.println("again: " + pool.submit(task).result());
      if (args.length > 1) {
        // The plugin, rebuilt into a folder of its own and loaded again: the same class names.
        try (URLClassLoader rebuilt =
            new URLClassLoader(
                "rebuilt",
                new URL[] {Path.of(args[1]).toUri().toURL()},
                CodeTravelMain.class.getClassLoader())) {
          System.out.println("rebuilt: " + pool.submit(task(rebuilt, "PluginTask")).result());
          System.out.println("old again: " + pool.submit(task).result());
        }
      }
      System.out.println("workers crashed: " + pool.stats().workersCrashed());
    }
  }

  private static Task<?> task(ClassLoader loader, String name) throws Exception {
    return (Task<?>)
        loader.loadClass("io.jfutures.travel.plugin." + name).getConstructor().newInstance();
  }
}
