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
