package io.jfutures.bench;

import io.jfutures.TaskFuture;
import io.jfutures.ThreadPool;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Submit 100,000 trivial tasks to a pool of 2 workers, then collect every result. Reported in tasks
 * per second. Peer: the JDK's {@code ThreadPoolExecutor} ({@code newFixedThreadPool(2)}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 5,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SubmitCollectBenchmark {
  static final int TASKS = 100_000;

  @Param({"jfutures", "jdk"})
  public String pool;

  private ThreadPool jfutures;
  private ExecutorService jdk;
  private final TaskFuture<?>[] ours = new TaskFuture<?>[TASKS];
  private final Future<?>[] theirs = new Future<?>[TASKS];

  @Setup(Level.Trial)
  public void start() {
    if (pool.equals("jfutures")) {
      jfutures = ThreadPool.create(2);
    } else {
      jdk = Executors.newFixedThreadPool(2);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (jfutures != null) {
      jfutures.close();
    }
    if (jdk != null) {
      jdk.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public long submitThenCollect() throws Exception {
    long sum = 0;
    if (jfutures != null) {
      for (int i = 0; i < TASKS; i++) {
        int x = i;
        ours[i] = jfutures.submit(() -> x);
      }
      for (int i = 0; i < TASKS; i++) {
        sum += (Integer) ours[i].result();
      }
    } else {
      for (int i = 0; i < TASKS; i++) {
        int x = i;
        theirs[i] = jdk.submit(() -> x);
      }
      for (int i = 0; i < TASKS; i++) {
        sum += (Integer) theirs[i].get();
      }
    }
    return sum;
  }
}
