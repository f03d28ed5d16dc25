package io.jfutures.bench;

import io.jfutures.TaskFuture;
import io.jfutures.ThreadPool;
import java.util.ArrayList;
import java.util.List;

/**
 * What a trivial task costs a two-thread {@link ThreadPool} under load, as CPU time and wall time
 * per task over 3,000,000 tasks (150 rounds of 20,000 submitted then collected, after 50 rounds of
 * warm-up). The process's CPU time is steadier on a busy machine than throughput alone, which is
 * why {@code threadpool-ab.sh} compares builds with it.
 */
public final class ThreadPoolTaskCost {
  private ThreadPoolTaskCost() {}

  public static void main(String[] args) throws Exception {
    int rounds = 150;
    try (ThreadPool pool = ThreadPool.create(2)) {
      long cpu0 = 0;
      long wall0 = 0;
      for (int r = -50; r < rounds; r++) {
        if (r == 0) {
          cpu0 = cpuNanos();
          wall0 = System.nanoTime();
        }
        List<TaskFuture<Integer>> futures = new ArrayList<>(20_000);
        for (int i = 0; i < 20_000; i++) {
          int n = i;
          futures.add(pool.submit(() -> n));
        }
        for (TaskFuture<Integer> f : futures) {
          f.result();
        }
      }
      double tasks = rounds * 20_000.0;
      System.out.printf(
          "ThreadPool(2), trivial tasks under load: cpu %.0f ns/task, wall %.0f ns/task%n",
          (cpuNanos() - cpu0) / tasks, (System.nanoTime() - wall0) / tasks);
    }
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }
}
