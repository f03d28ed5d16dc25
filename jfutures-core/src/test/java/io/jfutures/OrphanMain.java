package io.jfutures;

import java.time.Duration;

/**
 * Starts a ProcessPool whose worker runs a long task, prints the worker's pid, and waits to be
 * killed. Run in a child JVM by {@link ProcessPoolLifecycleTest}.
 */
public final class OrphanMain {
  private OrphanMain() {}

  public static void main(String[] args) throws Exception {
    ProcessPool pool = ProcessPool.create(1);
    pool.submit(() -> ProcessHandle.current().pid())
        .onDone(f -> System.out.println("worker " + f.result()));
    pool.submit(
        () -> {
          Thread.sleep(Duration.ofMinutes(10));
          return 0;
        });
    Thread.sleep(Duration.ofMinutes(10));
  }
}
