package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maxWorkerMemory}: workers whose resident memory grows for real, on their heap, are
 * replaced between tasks, or killed far over the limit while a task runs.
 */
class MemoryLimitTest {
  private static final long MIB = 1 << 20;

  /** Far above a fresh worker JVM, far below this machine's memory. */
  private static final long LIMIT = 400 * MIB;

  @BeforeAll
  static void linuxOnly() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/statm")), "reads /proc");
  }

  @Test
  void aWorkerOverTheLimitAfterATaskIsReplacedBeforeItsNextTaskAndNoTaskFails() {
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).maxWorkerMemory(LIMIT).build()) {
      long before = pool.submit(() -> ProcessHandle.current().pid()).result();
      long leaked =
          pool.submit(
                  () -> {
                    MemoryHog.growTo(LIMIT + 32 * MIB);
                    return ProcessHandle.current().pid();
                  })
              .result();
      long after = pool.submit(() -> ProcessHandle.current().pid()).result();
      assertThat(leaked).isEqualTo(before);
      assertThat(after).as("a fresh worker").isNotEqualTo(leaked);
      PoolStats stats = pool.stats();
      assertThat(stats.workersRecycledForMemory()).isEqualTo(1);
      assertThat(stats.workersCrashed()).isZero();
      assertThat(stats.failed()).isZero();
    }
  }

  @Test
  void tasksQueuedOnADrainingWorkerRunExactlyOnceElsewhere(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("ran");
    Files.createFile(log);
    String logName = log.toString();
    List<TaskFuture<Integer>> futures = new ArrayList<>();
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).maxWorkerMemory(LIMIT).build()) {
      for (int i = 0; i < 3000; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  MemoryHog.note(logName, n);
                  if (n == 1500) {
                    MemoryHog.growTo(LIMIT + 32 * MIB);
                  }
                  return n;
                }));
      }
      for (int i = 0; i < 3000; i++) {
        assertThat(futures.get(i).result(Duration.ofMinutes(1))).isEqualTo(i);
      }
      assertThat(pool.stats().workersRecycledForMemory()).isEqualTo(1);
    }
    List<String> ran = Files.readAllLines(log);
    Set<String> distinct = new TreeSet<>(ran);
    assertThat(ran).as("each task ran once").hasSize(3000);
    assertThat(distinct).hasSize(3000);
  }

  @Test
  void aWorkerFarOverTheLimitWhileATaskRunsIsKilledAndTheTaskFailsSayingWhy() {
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).maxWorkerMemory(LIMIT).build()) {
      TaskFuture<String> hog = pool.submit(() -> MemoryHog.growWithoutEnd(8L << 30));
      Throwable failure = hog.exception();
      assertThat(failure).isInstanceOf(WorkerCrashedException.class);
      WorkerCrashedException crash = (WorkerCrashedException) failure;
      assertThat(crash.limit()).contains(WorkerCrashedException.Limit.MEMORY);
      assertThat(crash.residentMemory().orElseThrow()).isGreaterThan(LIMIT + LIMIT / 2);
      assertThat(crash.signal()).contains("SIGKILL");
      assertThat(crash.getMessage())
          .contains("the pool killed it because its resident memory")
          .contains("600 MiB (1.5 × maxWorkerMemory)");
      assertThat(pool.submit(() -> "a fresh worker").result()).isEqualTo("a fresh worker");
      PoolStats stats = pool.stats();
      assertThat(stats.workersRecycledForMemory()).isEqualTo(1);
      assertThat(stats.workersCrashed()).isZero();
    }
  }

  @Test
  void retriesApplyToATaskKilledForItsMemory() {
    try (ProcessPool pool =
        ProcessPool.builder().maxWorkers(1).maxWorkerMemory(LIMIT).retries(1).build()) {
      Throwable failure = pool.submit(() -> MemoryHog.growWithoutEnd(8L << 30)).exception();
      assertThat(failure)
          .isInstanceOf(WorkerCrashedException.class)
          .hasMessageContaining("(it ran 2 times; retries=1)");
      assertThat(pool.stats().workersRecycledForMemory()).isEqualTo(2);
    }
  }

  @Test
  void aLimitBelowWhatAFreshWorkerUsesBreaksThePoolSayingSo() {
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).maxWorkerMemory(MIB).build()) {
      Throwable failure = pool.submit(() -> "never").exception();
      assertThat(failure)
          .isInstanceOf(BrokenPoolException.class)
          .hasMessageContaining("maxWorkerMemory is 1024 KiB")
          .hasMessageContaining("as soon as it started");
      assertThatThrownBy(() -> pool.submit(() -> "later")).isInstanceOf(BrokenPoolException.class);
    }
  }

  @Test
  void aLimitMustBePositive() {
    assertThatThrownBy(() -> ProcessPool.builder().maxWorkerMemory(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWorkerMemory");
  }
}
