package io.jfutures.cli;

import io.jfutures.Task;

/**
 * A task whose class only the member's {@code --classpath} holds: the member JVM in {@link
 * ClusterCommandTest} is started without the test classes.
 */
final class ClusterTasks {
  private ClusterTasks() {}

  static Task<String> whereAmI(String greeting) {
    return () ->
        greeting
            + " from "
            + ProcessHandle.current().pid()
            + " by "
            + ClusterTasks.class.getClassLoader().getClass().getSimpleName();
  }

  /** A value of the tests' own class, made on a member that may lack it. */
  record Found(String text) implements java.io.Serializable {}

  /** Reads a resource that only the test classes hold. */
  static Task<Found> readOwnResource() {
    return () -> {
      try (java.io.InputStream in = ClusterTasks.class.getResourceAsStream("client-only.txt")) {
        return new Found(
            in == null
                ? "no resource"
                : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip());
      }
    };
  }

  static Found square(Integer n) {
    return new Found(Integer.toString(n * n));
  }

  /** The square of {@code n}, after the process id of the JVM that worked it out and a colon. */
  static Found squareWhere(Integer n) {
    return new Found(ProcessHandle.current().pid() + ":" + n * n);
  }

  /** Says on the member's stdout that it started, then sleeps until interrupted. */
  static Task<String> announceAndSleep(String announcement) {
    return () -> {
      System.out.println(announcement);
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
      return "woke up";
    };
  }
}
