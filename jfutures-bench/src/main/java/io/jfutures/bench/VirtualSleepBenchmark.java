package io.jfutures.bench;

import io.jfutures.ThreadPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 10,000 tasks that each sleep 100 ms, on virtual threads, from a fresh pool to the last result.
 * The floor is 100 ms. Peer: {@code Executors.newVirtualThreadPerTaskExecutor()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
public class VirtualSleepBenchmark {
  static final int TASKS = 10_000;
  static final Duration SLEEP = Duration.ofMillis(100);

  @Param({"jfutures", "jdk"})
  public String pool;

  @Benchmark
  public long tenThousandSleepers() throws Exception {
    if (pool.equals("jfutures")) {
      try (ThreadPool virtual = ThreadPool.virtual()) {
        return sleepers(task -> virtual.submit(task::call));
      }
    }
    try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
      return sleepers(virtual::submit);
    }
  }

  /** Submits the sleepers through {@code submit}, then waits for every one. */
  private static long sleepers(Function<Callable<Integer>, Future<Integer>> submit)
      throws Exception {
    List<Future<Integer>> futures = new ArrayList<>(TASKS);
    for (int i = 0; i < TASKS; i++) {
      int x = i;
      futures.add(
          submit.apply(
              () -> {
                Thread.sleep(SLEEP);
                return x;
              }));
    }
    long sum = 0;
    for (Future<Integer> f : futures) {
      sum += f.get();
    }
    return sum;
  }
}
