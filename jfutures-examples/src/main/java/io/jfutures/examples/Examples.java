package io.jfutures.examples;

import io.jfutures.ProcessPool;
import io.jfutures.ThreadPool;
import java.time.Duration;

/** Runs the article's examples one after another, the square map on threads and on processes. */
public final class Examples {
  private Examples() {}

  public static void main(String[] args) {
    System.out.println("== 1. Three API calls at once, handled as they complete (ThreadPool)");
    Duration fetch = FetchExample.run(Duration.ofSeconds(2), System.out);
    System.out.printf("   3 calls of 2 s took %.2f s (6 s one after another)%n%n", seconds(fetch));

    System.out.println("== 2. map(square) over 10,000,000 numbers, automatic chunking");
    System.out.print("   ThreadPool:  ");
    try (ThreadPool pool = ThreadPool.create()) {
      SquaresExample.run(pool, 10_000_000, System.out);
    }
    System.out.print("   ProcessPool: ");
    try (ProcessPool pool = ProcessPool.create()) {
      SquaresExample.run(pool, 10_000_000, System.out);
    }
    System.out.println();

    System.out.println("== 3. A risky task: one failure is reported, the rest carry on");
    RiskyTaskExample.run(System.out);
    System.out.println();

    System.out.println("== 4. Graceful shutdown with try-with-resources");
    GracefulShutdownExample.run(System.out);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
