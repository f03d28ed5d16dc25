package io.jfutures;

import java.time.Duration;

/**
 * Starts a ProcessPool whose task detaches a {@code sleep} that writes its pid to the file {@code
 * args[0]}, then waits to be killed. Run in a child JVM by {@link ProcessTreeTest}.
 */
public final class TreeOrphanMain {
  private TreeOrphanMain() {}

  public static void main(String[] args) throws Exception {
    ProcessPool pool = ProcessPool.create(1);
    pool.submit(ProcessTreeTest.detachAndWait(args[0], 600_000));
    Thread.sleep(Duration.ofMinutes(10));
  }
}
