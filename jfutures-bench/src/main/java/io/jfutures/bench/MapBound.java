package io.jfutures.bench;

import io.jfutures.PoolInsights;
import io.jfutures.ProcessPool;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where the time of {@code ProcessPoolFigures}' map of 10,000,000 squares goes: five runs in one
 * JVM, each with its wall time, this JVM's CPU and GC time, and each worker's start-up, busy,
 * waiting and idle time from the pool's insights.
 *
 * <p>Usage: {@code MapBound}
 */
public final class MapBound {
  private MapBound() {}

  static long square(int x) {
    return (long) x * x;
  }

  public static void main(String[] args) throws Exception {
    List<Integer> numbers = IntStream.range(0, 10_000_000).boxed().toList();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int r = 0; r < 5; r++) {
      System.gc();
      long cpu0 = os.getProcessCpuTime();
      long gc0 =
          ManagementFactory.getGarbageCollectorMXBeans().stream()
              .mapToLong(g -> g.getCollectionTime())
              .sum();
      long t = System.nanoTime();
      PoolInsights ins;
      int size;
      try (ProcessPool pool = ProcessPool.create()) {
        size = pool.map(MapBound::square, numbers).toList().size();
        ins = pool.insights();
      }
      long wall = System.nanoTime() - t;
      long cpu = os.getProcessCpuTime() - cpu0;
      long gc =
          ManagementFactory.getGarbageCollectorMXBeans().stream()
                  .mapToLong(g -> g.getCollectionTime())
                  .sum()
              - gc0;
      StringBuilder w = new StringBuilder();
      for (PoolInsights.Worker x : ins.workers()) {
        w.append(
            String.format(
                " [%s start %d ms busy %d ms waiting %d ms idle %d ms tasks %d]",
                x.name(),
                x.startup().toMillis(),
                x.busy().toMillis(),
                x.waiting().toMillis(),
                x.idle().toMillis(),
                x.tasksDone()));
      }
      System.out.printf(
          "%d: wall %d ms, parent CPU %d ms (GC %d ms)%s%n",
          size, wall / 1_000_000, cpu / 1_000_000, gc, w);
    }
  }
}
