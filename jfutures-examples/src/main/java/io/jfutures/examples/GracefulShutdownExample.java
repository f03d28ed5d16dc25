package io.jfutures.examples;

import io.jfutures.ThreadPool;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The article's "graceful shutdown" tip: try-with-resources closes the pool, waiting for its tasks,
 * however the block is left.
 *
 * <pre>{@code
 * with ProcessPoolExecutor(max_workers=4) as executor:
 *     results = executor.map(square, range(10000))
 * # Executor shuts down gracefully here
 * }</pre>
 */
public final class GracefulShutdownExample {
  private GracefulShutdownExample() {}

  static int square(int n) {
    return n * n;
  }

  /** Returns the results, which were all computed before the pool closed. */
  public static List<Integer> run(PrintStream out) {
    List<Integer> results;
    try (ThreadPool pool = ThreadPool.create(4)) {
      results =
          pool.map(GracefulShutdownExample::square, IntStream.range(0, 10_000).boxed().toList())
              .toList();
      out.println("pool open: " + !pool.isShutdown());
    }
    out.println("squares: " + results.size() + ", last = " + results.get(results.size() - 1));
    return results;
  }

  public static void main(String[] args) {
    run(System.out);
  }
}
