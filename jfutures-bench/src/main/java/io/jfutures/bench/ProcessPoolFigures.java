package io.jfutures.bench;

import io.jfutures.ProcessPool;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Issue 3's figures for ProcessPool, each a whole-process measurement (pool start included where
 * the figure says so), printed one per line. Run by {@code jfutures-bench/process-figures.sh}
 * beside {@code python/process_figures.py}, which measures the same things with
 * ProcessPoolExecutor.
 */
public final class ProcessPoolFigures {
  private ProcessPoolFigures() {}

  static long square(int n) {
    return (long) n * n;
  }

  /** Tens of milliseconds of arithmetic on one core; the run measures how long on its machine. */
  static double burn(int seed) {
    double x = seed;
    for (int i = 0; i < 6_000_000; i++) {
      x = Math.sqrt(x + i) * 1.0000001;
    }
    return x;
  }

  public static void main(String[] args) throws Exception {
    // A new pool each time, alternating with a bare JVM started the way the pool starts workers.
    int runs = 5;
    double[] cold = new double[runs];
    double[] bare = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      try (ProcessPool pool = ProcessPool.create(2)) {
        pool.submit(() -> 1).result();
        cold[r] = (System.nanoTime() - t0) / 1e6;
      }
      bare[r] = bareJvmMillis();
    }
    System.out.printf(
        "cold pool to first result: median %.1f ms %s%n",
        median(cold), Arrays.toString(round(cold)));
    System.out.printf(
        "a bare JVM (an empty main on the same class path) to its exit: median %.1f ms %s%n",
        median(bare), Arrays.toString(round(bare)));

    try (ProcessPool pool = ProcessPool.create(2)) {
      // Warm both sides' compilers first, as JMH would: 10 rounds are not counted.
      PerTaskCost cost = PerTaskCost.measure(i -> pool.submit(() -> i), 10, 20);
      System.out.printf("round trip of one trivial task: median %.1f us%n", cost.roundTripMicros());
      System.out.printf(
          "20,000 tasks submitted then collected: median %.0f tasks/s%n", cost.tasksPerSecond());
    }

    // Before the maps, whose gigabytes of garbage this JVM frees for a while after, on the same
    // two cores as the workers.
    double one = cpuBound(1);
    double two = cpuBound(2);
    System.out.printf(
        "CPU-bound, 40 tasks of %.0f ms: 1 worker %.2f s, 2 workers %.2f s, speed-up %.2fx%n",
        one / 40 * 1000, one, two, one / two);

    List<Integer> numbers = IntStream.range(0, 10_000_000).boxed().toList();
    double[] maps =
        squaresSeconds(
            numbers,
            () -> {
              try (ProcessPool pool = ProcessPool.create()) {
                return pool.map(ProcessPoolFigures::square, numbers).toList();
              }
            });
    System.out.printf(
        "map(square) over 10,000,000 ints, pool start included: median %.2f s %s%n",
        median(maps), Arrays.toString(round(maps)));
    // The floor the parent alone sets: the same list of 10,000,000 Longs, made in this JVM.
    double[] serial =
        squaresSeconds(numbers, () -> numbers.stream().map(ProcessPoolFigures::square).toList());
    System.out.printf(
        "the same list made by a sequential stream in this JVM: median %.2f s %s%n",
        median(serial), Arrays.toString(round(serial)));
  }

  /** Seconds of each of 3 runs of {@code squares}, checked to give one result per input. */
  private static double[] squaresSeconds(List<Integer> numbers, Supplier<List<Long>> squares) {
    double[] seconds = new double[3];
    for (int r = 0; r < seconds.length; r++) {
      long t = System.nanoTime();
      List<Long> result = squares.get();
      if (result.size() != numbers.size()) {
        throw new AssertionError(result.size());
      }
      seconds[r] = (System.nanoTime() - t) / 1e9;
    }
    return seconds;
  }

  private static double cpuBound(int workers) {
    try (ProcessPool pool = ProcessPool.create(workers)) {
      pool.map(ProcessPoolFigures::burn, List.of(1, 2)).toList();
      long t = System.nanoTime();
      pool.map(ProcessPoolFigures::burn, IntStream.range(0, 40).boxed().toList()).toList();
      return (System.nanoTime() - t) / 1e9;
    }
  }

  /** Starts this JVM's java on an empty main, on this class path, and waits for it to exit. */
  private static double bareJvmMillis() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    long t = System.nanoTime();
    Process jvm =
        new ProcessBuilder(java, "-cp", classPath, EmptyMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (jvm.waitFor() != 0) {
      throw new IllegalStateException("a bare JVM exited with " + jvm.exitValue());
    }
    return (System.nanoTime() - t) / 1e6;
  }

  /** The bare JVM's program. */
  public static final class EmptyMain {
    public static void main(String[] args) {}
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static double[] round(double[] values) {
    return Arrays.stream(values).map(v -> Math.round(v * 100) / 100.0).toArray();
  }
}
