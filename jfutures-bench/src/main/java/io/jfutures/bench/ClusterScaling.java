package io.jfutures.bench;

import com.sun.management.OperatingSystemMXBean;
import io.jfutures.MapOptions;
import io.jfutures.hazelcast.ClusterPool;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * How well one client keeps a cluster's workers busy, and what each dispatch costs it. One member
 * JVM claims {@code W} workers ({@code -XX:ActiveProcessorCount=W}: its executor runs {@code W}
 * tasks at once), and the client maps tasks that sleep {@code ms} milliseconds, so that the workers
 * wait rather than compete for this machine's cores; the ideal time is {@code n * ms / W}. The
 * client's CPU time per task is its cost per dispatch where chunks hold one task (as they do for
 * tasks over half the chunk target), and its cost per element where chunks are large ({@code MS} of
 * 0: tasks that return at once).
 *
 * <p>Usage: {@code ClusterScaling W MS N [ROUNDS]}, run by {@code
 * jfutures-bench/cluster-scaling.sh}.
 */
public final class ClusterScaling {
  private ClusterScaling() {}

  static Integer sleep(int ms, int x) throws InterruptedException {
    if (ms > 0) {
      TimeUnit.MILLISECONDS.sleep(ms);
    }
    return x;
  }

  public static void main(String[] args) throws Exception {
    int workers = Integer.parseInt(args[0]);
    int ms = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<String> member =
        List.of(
            "-XX:ActiveProcessorCount=" + workers,
            "-XX:ParallelGCThreads=2",
            "-XX:ConcGCThreads=1",
            "-XX:CICompilerCount=2");
    try (ClusterPoolFigures.Members members = ClusterPoolFigures.Members.start(1, member);
        ClusterPool pool = ClusterPool.connect(members.client())) {
      while (pool.maxWorkers() < workers) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      List<Integer> inputs = IntStream.range(0, n).boxed().toList();
      double ideal = (double) n * ms / workers / 1000;
      System.out.printf("%d workers, %d tasks of %d ms: ideal %.2f s%n", workers, n, ms, ideal);
      for (int round = 0; round <= rounds; round++) {
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        long sum =
            pool.map((Integer x) -> sleep(ms, x), inputs, MapOptions.defaults())
                .mapToLong(Integer::longValue)
                .sum();
        double wall = (System.nanoTime() - t) / 1e9;
        double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6;
        if (sum != (long) n * (n - 1) / 2) {
          throw new AssertionError(sum);
        }
        System.out.printf(
            "  %s: %.2f s, %.0f%% of ideal speed, %.0f tasks/s; client CPU %.0f ms = %.2f us per"
                + " task%n",
            round == 0 ? "warm-up" : "round " + round,
            wall,
            100 * ideal / wall,
            n / wall,
            cpuMs,
            1000 * cpuMs / n);
      }
    }
  }
}
