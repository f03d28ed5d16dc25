package io.jfutures.bench;

import io.jfutures.ThreadPool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code map} of a trivial function (square) over 10 million boxed ints into a list, with default
 * options. Peer: a plain parallel stream over the same list, into a list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class MapBenchmark {
  static final int N = 10_000_000;

  @Param({"jfutures", "parallelStream"})
  public String engine;

  private List<Integer> inputs;
  private ThreadPool pool;

  @Setup(Level.Trial)
  public void start() {
    inputs = IntStream.range(0, N).boxed().toList();
    if (engine.equals("jfutures")) {
      pool = ThreadPool.create();
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  static long square(int n) {
    return (long) n * n;
  }

  @Benchmark
  public List<Long> mapSquares() {
    if (pool != null) {
      return pool.map(MapBenchmark::square, inputs).toList();
    }
    return inputs.parallelStream().map(MapBenchmark::square).toList();
  }
}
