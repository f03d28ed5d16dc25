package io.jfutures.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * What one trivial task costs an executor, measured the same way for every pool and peer: the
 * median round trip of 5,000 tasks one at a time (after 2,000), and the median throughput of rounds
 * of 20,000 tasks submitted one by one and then collected (after some warm-up rounds).
 */
record PerTaskCost(double roundTripMicros, double tasksPerSecond) {
  /**
   * @param submit submits trivial task number {@code i} and returns its future
   */
  static PerTaskCost measure(IntFunction<? extends Future<?>> submit, int warmUpRounds, int rounds)
      throws InterruptedException, ExecutionException {
    for (int i = 0; i < 2_000; i++) {
      submit.apply(i).get();
    }
    double[] trips = new double[5_000];
    for (int i = 0; i < trips.length; i++) {
      long t = System.nanoTime();
      submit.apply(i).get();
      trips[i] = (System.nanoTime() - t) / 1e3;
    }
    double[] rates = new double[rounds];
    for (int r = -warmUpRounds; r < rounds; r++) {
      long t = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>(20_000);
      for (int i = 0; i < 20_000; i++) {
        futures.add(submit.apply(i));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      if (r >= 0) {
        rates[r] = 20_000 / ((System.nanoTime() - t) / 1e9);
      }
    }
    return new PerTaskCost(ProcessPoolFigures.median(trips), ProcessPoolFigures.median(rates));
  }
}
