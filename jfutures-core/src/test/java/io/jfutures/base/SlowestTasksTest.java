package io.jfutures.base;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.PoolInsights;
import io.jfutures.Task;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slowest tasks a pool keeps, as the insights show them. */
class SlowestTasksTest {
  private record Named(String name) implements Task<String> {
    @Override
    public String call() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @Test
  void keepsTheSlowestSlowestFirstAndDropsTheRest() {
    SlowestTasks slowest = new SlowestTasks();
    for (int i = 1; i <= 25; i++) {
      slowest.offer(i * 1_000_000L, "w", new Named("task " + i));
    }
    List<PoolInsights.SlowTask> kept = slowest.snapshot();
    assertThat(kept).hasSize(PoolInsights.SLOWEST_TASKS);
    assertThat(kept.get(0).task()).isEqualTo("task 25");
    assertThat(kept.get(0).duration()).isEqualTo(Duration.ofMillis(25));
    assertThat(kept.get(9).task()).isEqualTo("task 16");
    assertThat(slowest.qualifies(16_000_000L)).isFalse();
    assertThat(slowest.qualifies(16_000_001L)).isTrue();
  }

  @Test
  void aRunOfTasksIsNamedByItsLastTaskOrAsARunWhenItsLastIsUnknown() {
    SlowestTasks slowest = new SlowestTasks();
    slowest.offer(3_000_000L, "w", new Named("the last"), 64);
    slowest.offer(2_000_000L, "w", null, 12);
    slowest.offer(1_000_000L, "w", null, 1);
    assertThat(slowest.snapshot())
        .extracting(PoolInsights.SlowTask::task)
        .containsExactly("64 tasks in a row, the last the last", "12 tasks in a row", "a task");
  }

  @Test
  void aTaskWhoseToStringThrowsIsNamedByItsClassAndLongNamesAreCut() {
    SlowestTasks slowest = new SlowestTasks();
    Task<String> rude =
        new Task<>() {
          @Override
          public String call() {
            return "";
          }

          @Override
          public String toString() {
            throw new IllegalStateException("no");
          }
        };
    slowest.offer(2_000_000L, "w", rude);
    slowest.offer(1_000_000L, "w", new Named("x".repeat(500)));
    List<PoolInsights.SlowTask> kept = slowest.snapshot();
    assertThat(kept.get(0).task()).contains("its toString threw");
    assertThat(kept.get(1).task()).hasSize(PoolInsights.TASK_TEXT_LENGTH).endsWith("…");
  }
}
