package io.jfutures.examples;

import io.jfutures.Pool;
import io.jfutures.ProcessPool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The article's {@code map(square, numbers)} over ten million numbers, with no tuning: the pool
 * chunks the input by itself. Python needs {@code chunksize=} here or takes minutes.
 *
 * <pre>{@code
 * numbers = [i for i in range(10_000_000)]
 * with ProcessPoolExecutor() as executor:
 *     results = list(executor.map(square, numbers))
 * }</pre>
 */
public final class SquaresExample {
  private SquaresExample() {}

  static long square(int n) {
    return (long) n * n;
  }

  /** Squares {@code count} numbers on {@code pool}; returns the time it took. */
  public static Duration run(Pool pool, int count, PrintStream out) {
    List<Integer> numbers = IntStream.range(0, count).boxed().toList();
    long start = System.nanoTime();
    List<Long> results = pool.map(SquaresExample::square, numbers).toList();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    out.printf(
        "%,d squares (last %,d) in %.2f s%n",
        results.size(), results.get(results.size() - 1), took.toNanos() / 1e9);
    return took;
  }

  public static void main(String[] args) {
    try (ProcessPool pool = ProcessPool.create()) {
      run(pool, 10_000_000, System.out);
    }
  }
}
