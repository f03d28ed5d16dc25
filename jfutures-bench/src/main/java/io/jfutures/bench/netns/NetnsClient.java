package io.jfutures.bench.netns;

import com.hazelcast.client.config.ClientConfig;
import io.jfutures.Fn;
import io.jfutures.MapOptions;
import io.jfutures.hazelcast.ClusterPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The client side of {@code jfutures-bench/netns-cluster.sh}, run in the client's namespace.
 *
 * <ul>
 *   <li>{@code figures NAME ADDRESS WORKERS TRIPS}: the round trip of one trivial task at a time
 *       (median of {@code TRIPS}) and the throughput of 20,000 submitted then collected (median of
 *       three rounds, after one);
 *   <li>{@code map NAME ADDRESS WORKERS N MS}: a map of {@code N} tasks of {@code MS} ms each; it
 *       prints {@code map started} at its first result (the script then kills a member), and checks
 *       that every result arrived exactly once, in order.
 * </ul>
 *
 * It waits until the cluster reports {@code WORKERS} workers first.
 */
public final class NetnsClient {
  private NetnsClient() {}

  static long square(int ms, int x) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(ms);
    return (long) x * x;
  }

  public static void main(String[] args) throws Exception {
    ClientConfig config = new ClientConfig();
    config.setClusterName(args[1]);
    config.getNetworkConfig().addAddress(args[2]);
    int workers = Integer.parseInt(args[3]);
    try (ClusterPool pool = ClusterPool.builder().retries(3).connect(config)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (pool.maxWorkers() < workers) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster reports " + pool.maxWorkers() + " workers");
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
      switch (args[0]) {
        case "figures" -> figures(pool, Integer.parseInt(args[4]));
        case "map" -> map(pool, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        default -> throw new IllegalArgumentException("figures or map, not " + args[0]);
      }
    }
  }

  private static void figures(ClusterPool pool, int trips) throws Exception {
    for (int i = 0; i < 4 * trips; i++) {
      pool.submit(() -> 1).get();
    }
    double[] micros = new double[trips];
    for (int i = 0; i < trips; i++) {
      long t = System.nanoTime();
      pool.submit(() -> 1).get();
      micros[i] = (System.nanoTime() - t) / 1e3;
    }
    double[] rates = new double[3];
    for (int round = -1; round < rates.length; round++) {
      long t = System.nanoTime();
      List<Future<Integer>> futures = new ArrayList<>(20_000);
      for (int i = 0; i < 20_000; i++) {
        int x = i;
        futures.add(pool.submit(() -> x));
      }
      for (Future<Integer> future : futures) {
        future.get();
      }
      if (round >= 0) {
        rates[round] = 20_000 / ((System.nanoTime() - t) / 1e9);
      }
    }
    System.out.printf(
        "round trip %.0f us (median of %d); throughput %,.0f tasks/s (median of 3 rounds: %,.0f %,.0f"
            + " %,.0f)%n",
        median(micros), trips, median(rates), rates[0], rates[1], rates[2]);
  }

  private static void map(ClusterPool pool, int n, int ms) {
    Fn<Integer, Long> task = x -> square(ms, x);
    long t = System.nanoTime();
    Iterator<Long> results =
        pool.map(task, IntStream.range(0, n).boxed().toList(), MapOptions.defaults()).iterator();
    int seen = 0;
    while (results.hasNext()) {
      long result = results.next();
      if (result != (long) seen * seen) {
        throw new AssertionError("result " + seen + " is " + result);
      }
      if (seen == 0) {
        System.out.println("map started");
        System.out.flush();
      }
      seen++;
    }
    if (seen != n) {
      throw new AssertionError(seen + " results for " + n + " inputs");
    }
    System.out.printf(
        "map: all %d results arrived once, in order, in %.2f s%n",
        n, (System.nanoTime() - t) / 1e9);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
