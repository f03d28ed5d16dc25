package io.jfutures.examples;

import io.jfutures.Futures;
import io.jfutures.TaskFuture;
import io.jfutures.ThreadPool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The article's first example: three simulated API calls at once, handled as they finish.
 *
 * <pre>{@code
 * with ThreadPoolExecutor(max_workers=3) as executor:
 *     futures = [executor.submit(fetch_data, url) for url in endpoints]
 *     for future in as_completed(futures):
 *         print(future.result())
 * }</pre>
 */
public final class FetchExample {
  private FetchExample() {}

  static String fetchData(String endpoint, Duration latency, PrintStream out)
      throws InterruptedException {
    out.println("Fetching " + endpoint);
    Thread.sleep(latency);
    return "Data from " + endpoint;
  }

  /** Runs the example with each call taking {@code latency}; returns the time it took. */
  public static Duration run(Duration latency, PrintStream out) {
    long start = System.nanoTime();
    List<String> endpoints = List.of("api/data1", "api/data2", "api/data3");
    try (ThreadPool pool = ThreadPool.create(3)) {
      List<TaskFuture<String>> futures =
          endpoints.stream().map(url -> pool.submit(() -> fetchData(url, latency, out))).toList();
      for (TaskFuture<String> future : Futures.asCompleted(futures)) {
        out.println(future.result());
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public static void main(String[] args) {
    Duration took = run(Duration.ofSeconds(2), System.out);
    System.out.printf("3 calls of 2 s each took %.2f s%n", took.toNanos() / 1e9);
  }
}
