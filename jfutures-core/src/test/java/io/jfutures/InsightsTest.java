package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.testing.NamedSleep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link Pool#insights()} on skewed workloads, where one worker does far more than another. */
class InsightsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static PoolInsights.Worker named(PoolInsights insights, String name) {
    return insights.workers().stream()
        .filter(w -> w.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + insights));
  }

  @Test
  void aProcessPoolShowsWhichWorkerWasBusierAndItsMemory() {
    try (ProcessPool pool = ProcessPool.create(2)) {
      TaskFuture<String> slow = pool.submit(new NamedSleep(1_000));
      // One at a time, each goes to the worker with the most room: the one not sleeping.
      for (int i = 0; i < 20; i++) {
        assertThat(pool.submit(() -> 1).result(WAIT)).isEqualTo(1);
      }
      slow.result(WAIT);
      PoolInsights insights = pool.insights();
      assertThat(insights.workers()).hasSize(2);
      PoolInsights.SlowTask slowest = insights.slowestTasks().get(0);
      assertThat(slowest.task()).isEqualTo("NamedSleep[millis=1000]");
      assertThat(slowest.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      PoolInsights.Worker sleeper = named(insights, slowest.worker());
      PoolInsights.Worker other =
          insights.workers().stream().filter(w -> w != sleeper).findFirst().orElseThrow();
      assertThat(sleeper.tasksDone()).isEqualTo(1);
      assertThat(other.tasksDone()).isEqualTo(20);
      assertThat(sleeper.busy()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(sleeper.busy()).isGreaterThan(other.busy());
      for (PoolInsights.Worker worker : insights.workers()) {
        assertThat(worker.startup()).isPositive();
        assertThat(worker.restarts()).isZero();
        assertThat(worker.threads()).isEqualTo(1);
        if (Files.isReadable(Path.of("/proc/self/statm"))) {
          assertThat(worker.residentMemory().orElseThrow()).isGreaterThan(1 << 20);
        }
      }
      assertThat(insights.toString()).contains(sleeper.name(), other.name(), " MiB");
    }
  }

  @Test
  void aThreadPoolShowsTheThreadThatWasHeldAndTheOneThatDidTheWork() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (ThreadPool pool = ThreadPool.create(2)) {
      TaskFuture<String> held =
          pool.submit(
              () -> {
                started.countDown();
                release.await();
                return Thread.currentThread().getName();
              });
      started.await();
      String worker = null;
      for (int i = 0; i < 10; i++) {
        worker = pool.submit(() -> Thread.currentThread().getName()).result(WAIT);
      }
      release.countDown();
      String holder = held.result(WAIT);
      PoolInsights insights = pool.insights();
      assertThat(named(insights, holder).tasksDone()).isEqualTo(1);
      assertThat(named(insights, worker).tasksDone()).isEqualTo(10);
      assertThat(insights.slowestTasks().get(0).worker()).isEqualTo(holder);
      assertThat(insights.waiting()).isZero();
      assertThat(named(insights, worker).residentMemory()).isEmpty();
    }
  }

  @Test
  void aSlowTaskAmongManyTrivialOnesStillCountsAndShowsAmongTheSlowest() {
    try (ThreadPool pool = ThreadPool.create(1)) {
      List<TaskFuture<?>> futures = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        futures.add(pool.submit(() -> 1));
      }
      futures.add(pool.submit(new NamedSleep(200)));
      for (int i = 0; i < 20_000; i++) {
        futures.add(pool.submit(() -> 1));
      }
      for (TaskFuture<?> f : futures) {
        f.result(WAIT);
      }
      PoolInsights insights = pool.insights();
      assertThat(insights.workers()).hasSize(1);
      assertThat(insights.workers().get(0).tasksDone()).isEqualTo(40_001);
      assertThat(insights.busy()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      PoolInsights.SlowTask slowest = insights.slowestTasks().get(0);
      assertThat(slowest.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      // Trivial tasks are timed in runs, to cost nothing; a run names its last task.
      assertThat(slowest.task())
          .matches("NamedSleep\\[millis=200]|\\d+ tasks in a row(, the last .*)?|a task");
    }
  }

  @Test
  void everyThreadStillServesAfterASaturatedRunTimedInRuns() throws Exception {
    try (ThreadPool pool = ThreadPool.create(2)) {
      for (int round = 0; round < 50; round++) {
        List<TaskFuture<Integer>> futures = new ArrayList<>(20_000);
        for (int i = 0; i < 20_000; i++) {
          futures.add(pool.submit(() -> 1));
        }
        for (TaskFuture<Integer> f : futures) {
          f.result(WAIT);
        }
      }
      CountDownLatch both = new CountDownLatch(2);
      Task<Boolean> meet =
          () -> {
            both.countDown();
            return both.await(30, java.util.concurrent.TimeUnit.SECONDS);
          };
      TaskFuture<Boolean> first = pool.submit(meet);
      TaskFuture<Boolean> second = pool.submit(meet);
      assertThat(first.result(WAIT)).as("two threads still serve").isTrue();
      assertThat(second.result(WAIT)).isTrue();
      assertThat(pool.insights().workers().stream().mapToLong(PoolInsights.Worker::tasksDone).sum())
          .isEqualTo(1_000_002);
    }
  }

  @Test
  void aReplacedWorkerKeepsItsPlaceAndCountsTheRestarts() {
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).maxTasksPerWorker(1).build()) {
      List<Long> pids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pids.add(pool.submit(() -> ProcessHandle.current().pid()).result(WAIT));
      }
      assertThat(pids).doesNotHaveDuplicates();
      PoolInsights insights = pool.insights();
      assertThat(insights.workers()).hasSize(1);
      PoolInsights.Worker place = insights.workers().get(0);
      assertThat(place.tasksDone()).isEqualTo(3);
      assertThat(place.restarts()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aPoolThatRanNothingSaysSo() {
    try (ThreadPool pool = ThreadPool.create(2)) {
      PoolInsights insights = pool.insights();
      assertThat(insights.workers()).isEmpty();
      assertThat(insights.slowestTasks()).isEmpty();
      assertThat(insights.toString()).contains("no worker has started yet");
    }
  }
}
