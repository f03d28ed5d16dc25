package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Minutes of churn that the default run cannot afford, for races that show once in hundreds of
 * killed workers. Run with {@code ./jfutures test -Psoak}.
 */
@Tag("soak")
class ProcessPoolSoakTest {
  @Test
  void cancellingRunningTasksAndClosingMapsNeverFailsAnotherTask() {
    Random random = new Random(7);
    try (ProcessPool pool = ProcessPool.create(2)) {
      for (int round = 0; round < 300; round++) {
        int n = 1 + random.nextInt(20_000);
        int wanted = random.nextInt(n);
        MapOptions options = MapOptions.defaults().timeout(Duration.ofMinutes(1));
        if (random.nextBoolean()) {
          options = options.unordered();
        }
        // findFirst closes the map early: what is still in flight is cancelled, workers killed.
        long first =
            pool.map((Integer x) -> 2L * x, IntStream.range(0, n).boxed().toList(), options)
                .filter(v -> v >= 2L * wanted)
                .findFirst()
                .orElseThrow();
        assertThat(first).isGreaterThanOrEqualTo(2L * wanted);

        List<TaskFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          int k = i;
          futures.add(
              pool.submit(
                  () -> {
                    if (k % 7 == 0) {
                      Thread.sleep(2);
                    }
                    return k;
                  }));
        }
        for (int i = 0; i < futures.size(); i += 3) {
          futures.get(i).cancel(true);
        }
        for (int i = 0; i < futures.size(); i++) {
          TaskFuture<Integer> f = futures.get(i);
          if (i % 3 == 0 && f.isCancelled()) {
            assertThatCancelled(f);
          } else {
            assertThat(f.result(Duration.ofMinutes(1)))
                .as("task %d of round %d", i, round)
                .isEqualTo(i);
          }
        }
      }
      assertThat(pool.submit(() -> 42).result(Duration.ofMinutes(1))).isEqualTo(42);
      assertThat(pool.stats().workersCrashed()).isZero();
    }
  }

  private static void assertThatCancelled(TaskFuture<Integer> f) {
    try {
      f.result(Duration.ofMinutes(1));
      throw new AssertionError("a cancelled task gave a result");
    } catch (CancellationException expected) {
      // as it should
    }
  }
}
