package io.jfutures.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A program of the tests run in a JVM of its own, as a user would run it: {@code java -cp}. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * How a child run ended.
   *
   * @param exited whether it exited within its time; if not, it was killed
   * @param exitCode its exit code, if it exited
   * @param output what it wrote to stdout and stderr
   */
  public record Run(boolean exited, int exitCode, String output) {}

  /** The test's class path, plus the module path that Surefire puts a module's classes on. */
  public static String classPath() {
    String classPath = System.getProperty("java.class.path", "");
    String modulePath = System.getProperty("jdk.module.path");
    return modulePath == null ? classPath : modulePath + File.pathSeparator + classPath;
  }

  /**
   * Runs {@code main} with {@code args} on the test's class path, this JVM's {@code java}; waits up
   * to {@code limit}, then kills it.
   */
  public static Run run(Duration limit, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return run(limit, classPath(), main, args);
  }

  /** Runs {@code main} as {@link #run(Duration, Class, String...)} does, on {@code classPath}. */
  public static Run run(Duration limit, String classPath, Class<?> main, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("jfutures-child", ".log");
    try {
      Process child =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean exited = child.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        child.destroyForcibly().waitFor();
      }
      return new Run(
          exited, exited ? child.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.delete(log);
    }
  }
}
