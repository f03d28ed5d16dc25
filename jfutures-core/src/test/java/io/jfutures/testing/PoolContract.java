package io.jfutures.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jfutures.DoneAndPending;
import io.jfutures.Futures;
import io.jfutures.MapOptions;
import io.jfutures.Pool;
import io.jfutures.PoolInsights;
import io.jfutures.PoolStats;
import io.jfutures.ReturnWhen;
import io.jfutures.TaskFailedException;
import io.jfutures.TaskFuture;
import io.jfutures.WaitTimeoutException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Pool} contract, as one specification that every pool kind must meet: a subclass says
 * how to make its pool, and inherits every test. Tasks here are serializable lambdas that only
 * return, throw or sleep, so that they run the same in threads, worker processes and cluster
 * members; whatever a test waits on lives in the calling JVM.
 */
public abstract class PoolContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A new pool of this kind with at most {@code workers} workers where the kind can say so. */
  protected abstract Pool newPool(int workers);

  /** How long a task keeps a worker busy, long beside any test's own steps. */
  private static final long BUSY_MILLIS = 30_000;

  /** Fills every worker of {@code pool} with a long sleep; returns the sleepers. */
  private static List<TaskFuture<Integer>> occupyEveryWorker(Pool pool) {
    List<TaskFuture<Integer>> sleepers = new ArrayList<>();
    for (int i = 0; i < pool.maxWorkers(); i++) {
      sleepers.add(
          pool.submit(
              () -> {
                Thread.sleep(BUSY_MILLIS);
                return 0;
              }));
    }
    return sleepers;
  }

  @Test
  void submitGivesTheTasksValue() {
    try (Pool pool = newPool(2)) {
      assertThat(pool.submit(() -> 6 * 7).result(WAIT)).isEqualTo(42);
    }
  }

  @Test
  void aTaskThatThrowsFailsItsFutureWithWhatItThrew() {
    try (Pool pool = newPool(2)) {
      TaskFuture<Integer> future =
          pool.submit(
              () -> {
                throw new IllegalStateException("from the task");
              });
      assertThat(future.exception(WAIT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("from the task");
      assertThatThrownBy(future::get)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void mapGivesEveryResultInInputOrderWhateverTheChunksAndBuffer() {
    List<Integer> inputs = IntStream.range(0, 1_000).boxed().toList();
    List<Long> squares = inputs.stream().map(x -> (long) x * x).toList();
    try (Pool pool = newPool(2)) {
      assertThat(pool.map((Integer x) -> (long) x * x, inputs).toList()).isEqualTo(squares);
      assertThat(
              pool.map((Integer x) -> (long) x * x, inputs, MapOptions.defaults().chunkSize(7))
                  .toList())
          .isEqualTo(squares);
      assertThat(
              pool.map(
                      (Integer x) -> (long) x * x,
                      inputs,
                      MapOptions.defaults().chunkSize(1).bufferSize(1))
                  .toList())
          .isEqualTo(squares);
    }
  }

  @Test
  void anUnorderedMapGivesEveryResultOnce() {
    try (Pool pool = newPool(2)) {
      List<Integer> results =
          pool.map(
                  (Integer x) -> x + 1,
                  IntStream.range(0, 500).boxed().toList(),
                  MapOptions.defaults().unordered().chunkSize(10))
              .toList();
      assertThat(results)
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 500).boxed().toList());
    }
  }

  @Test
  void aMapOverAStreamReadsItLazilyAndClosesIt() {
    AtomicBoolean closed = new AtomicBoolean();
    try (Pool pool = newPool(2)) {
      Stream<Integer> inputs =
          Stream.iterate(0, x -> x + 1).limit(300).onClose(() -> closed.set(true));
      try (Stream<Integer> doubled =
          pool.map((Integer x) -> 2 * x, inputs, MapOptions.defaults())) {
        assertThat(doubled.mapToInt(Integer::intValue).sum()).isEqualTo(299 * 300);
      }
    }
    assertThat(closed).isTrue();
  }

  @Test
  void aMapReportsItsProgressUpToTheTotal() {
    AtomicLong last = new AtomicLong();
    AtomicLong total = new AtomicLong();
    try (Pool pool = newPool(2)) {
      long count =
          pool.map(
                  (Integer x) -> x,
                  IntStream.range(0, 200).boxed().toList(),
                  MapOptions.defaults()
                      .chunkSize(10)
                      .onProgress(
                          (done, of) -> {
                            last.accumulateAndGet(done, Math::max);
                            total.set(of);
                          }))
              .count();
      assertThat(count).isEqualTo(200);
    }
    assertThat(last).hasValue(200);
    assertThat(total).hasValue(200);
  }

  @Test
  void aFailingInputFailsTheMapNamingThatInput() {
    try (Pool pool = newPool(2)) {
      Stream<Integer> results =
          pool.map(
              (Integer x) -> 10 / (x - 5),
              IntStream.range(0, 20).boxed().toList(),
              MapOptions.defaults().chunkSize(3));
      assertThatThrownBy(results::toList)
          .isInstanceOf(TaskFailedException.class)
          .hasMessageContaining("map input #5")
          .hasCauseInstanceOf(ArithmeticException.class);
    }
  }

  @Test
  void aMapPastItsTimeoutFailsWithWaitTimeoutException() {
    try (Pool pool = newPool(1)) {
      // A chunk that has begun runs to its end (the map cancels with cancel(false)), so it is
      // only ten times the timeout, for the pool to close soon after.
      Stream<Integer> results =
          pool.map(
              (Integer x) -> {
                Thread.sleep(2_000);
                return x;
              },
              List.of(1, 2),
              MapOptions.defaults().timeout(Duration.ofMillis(200)));
      assertThatThrownBy(results::toList).isInstanceOf(WaitTimeoutException.class);
    }
  }

  @Test
  void asCompletedGivesEachFutureOnceAsItFinishes() {
    try (Pool pool = newPool(2)) {
      List<TaskFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        futures.add(pool.submit(() -> n));
      }
      Set<Integer> seen = new HashSet<>();
      for (TaskFuture<Integer> future : Futures.asCompleted(futures)) {
        assertThat(future.isDone()).isTrue();
        assertThat(seen.add(future.result())).isTrue();
      }
      assertThat(seen).hasSize(20);
    }
  }

  @Test
  void waitForFirstExceptionReturnsOnceATaskFails() {
    try (Pool pool = newPool(2)) {
      List<TaskFuture<Integer>> sleepers = occupyEveryWorker(pool);
      TaskFuture<Integer> failing =
          pool.submit(
              () -> {
                throw new IllegalArgumentException("no");
              });
      List<TaskFuture<Integer>> all = new ArrayList<>(sleepers);
      all.add(failing);
      sleepers.forEach(s -> s.cancel(true));
      DoneAndPending<TaskFuture<Integer>> outcome =
          Futures.waitFor(all, WAIT, ReturnWhen.FIRST_EXCEPTION);
      assertThat(outcome.done()).contains(failing);
    }
  }

  @Test
  void aDoneCallbackRunsOnceForEachOutcome() throws Exception {
    CountDownLatch calls = new CountDownLatch(3);
    AtomicInteger count = new AtomicInteger();
    try (Pool pool = newPool(2)) {
      pool.submit(() -> 1)
          .onDone(
              f -> {
                count.incrementAndGet();
                calls.countDown();
              });
      pool.submit(
              () -> {
                throw new IllegalStateException();
              })
          .onDone(
              f -> {
                count.incrementAndGet();
                calls.countDown();
              });
      TaskFuture<Integer> done = pool.submit(() -> 2);
      done.result(WAIT);
      done.onDone(
          f -> {
            count.incrementAndGet();
            calls.countDown();
          });
      assertThat(calls.await(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(count).hasValue(3);
  }

  @Test
  void cancelOfAQueuedTaskCancelsItAndItNeverRuns() {
    try (Pool pool = newPool(1)) {
      List<TaskFuture<Integer>> sleepers = occupyEveryWorker(pool);
      TaskFuture<Integer> queued = pool.submit(() -> 1);
      assertThat(queued.isRunning()).isFalse();
      assertThat(queued.cancel(false)).isTrue();
      assertThat(queued.isCancelled()).isTrue();
      assertThatThrownBy(queued::get).isInstanceOf(CancellationException.class);
      sleepers.forEach(s -> s.cancel(true));
      assertThat(pool.submit(() -> 2).result(WAIT)).isEqualTo(2);
      assertThat(pool.stats().cancelled()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void shutdownRefusesNewTasksAndLetsAcceptedOnesFinish() {
    Pool pool = newPool(2);
    List<TaskFuture<Integer>> accepted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int n = i;
      accepted.add(pool.submit(() -> n));
    }
    pool.shutdown(true, false);
    assertThat(pool.isShutdown()).isTrue();
    for (int i = 0; i < 10; i++) {
      assertThat(accepted.get(i).isDone()).isTrue();
      assertThat(accepted.get(i).result()).isEqualTo(i);
    }
    assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> pool.map((Integer x) -> x, List.of(1)))
        .isInstanceOf(RejectedExecutionException.class);
    pool.close();
    pool.shutdown(true, true);
  }

  @Test
  void shutdownThatCancelsPendingCancelsWhatHasNotStarted() {
    Pool pool = newPool(1);
    List<TaskFuture<Integer>> sleepers = occupyEveryWorker(pool);
    List<TaskFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(pool.submit(() -> 1));
    }
    pool.shutdown(false, true);
    for (TaskFuture<Integer> future : queued) {
      assertThat(future.isCancelled()).isTrue();
    }
    sleepers.forEach(s -> s.cancel(true));
    pool.shutdown(true, false);
    for (TaskFuture<Integer> sleeper : sleepers) {
      assertThat(sleeper.isDone()).isTrue();
    }
  }

  @Test
  void statsCountWhatHappenedToEveryTask() {
    try (Pool pool = newPool(2)) {
      List<TaskFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        futures.add(pool.submit(() -> 1));
      }
      for (int i = 0; i < 3; i++) {
        futures.add(
            pool.submit(
                () -> {
                  throw new IllegalStateException();
                }));
      }
      Futures.waitFor(futures, WAIT, ReturnWhen.ALL_COMPLETED);
      PoolStats stats = pool.stats();
      assertThat(stats.submitted()).isEqualTo(8);
      assertThat(stats.completed()).isEqualTo(5);
      assertThat(stats.failed()).isEqualTo(3);
      assertThat(stats.running()).isZero();
      assertThat(stats.queued()).isZero();
      assertThat(stats.workersStarted()).isPositive();
      assertThat(pool.toString()).isNotBlank();
    }
  }

  @Test
  void insightsCountEveryTaskOnTheWorkerThatRanItAndKeepTheSlowest() {
    try (Pool pool = newPool(2)) {
      for (int i = 0; i < 5; i++) {
        assertThat(pool.submit(() -> 1).result(WAIT)).isEqualTo(1);
      }
      List<Integer> inputs = IntStream.range(0, 40).boxed().toList();
      assertThat(pool.map((Integer n) -> n + 1, inputs).count()).isEqualTo(40);
      assertThat(pool.submit(new NamedSleep(300)).result(WAIT)).isEqualTo("slept");
      PoolInsights insights = pool.insights();
      assertThat(insights.workers()).isNotEmpty();
      assertThat(insights.workers().stream().mapToLong(PoolInsights.Worker::tasksDone).sum())
          .as("every task, each map input counted")
          .isEqualTo(46);
      assertThat(insights.slowestTasks())
          .anySatisfy(
              slow -> {
                assertThat(slow.task()).isEqualTo("NamedSleep[millis=300]");
                assertThat(slow.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                assertThat(insights.workers())
                    .extracting(PoolInsights.Worker::name)
                    .contains(slow.worker());
              });
      assertThat(insights.busy()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(insights.toString())
          .contains(insights.pool(), "tasks", "busy", "slowest tasks:", "NamedSleep[millis=300]");
    }
  }

  /**
   * {@link Pool#asExecutorService}: the behaviours the JSR-166 TCK checks of every executor service
   * ({@code AbstractExecutorServiceTest}, and {@code ThreadPoolExecutorTest}'s shutdown, {@code
   * invokeAll} and {@code invokeAny} cases), ported to the view, for every pool kind.
   */
  @Nested
  class AsExecutorService {
    private static Callable<Integer> value(int value) {
      return (Callable<Integer> & Serializable) () -> value;
    }

    private static Callable<Integer> failing() {
      return (Callable<Integer> & Serializable)
          () -> {
            throw new ArithmeticException("failed on purpose");
          };
    }

    private static Callable<Integer> sleeper() {
      return (Callable<Integer> & Serializable)
          () -> {
            Thread.sleep(BUSY_MILLIS);
            return 0;
          };
    }

    @Test
    void submitGivesEachTasksValueThroughThePoolsOwnFutureAndCountsInItsStats() throws Exception {
      try (Pool pool = newPool(2)) {
        ExecutorService view = pool.asExecutorService();
        assertThat(pool.asExecutorService()).isSameAs(view);
        Future<Integer> callable = view.submit(value(42));
        Future<String> withResult = view.submit((Runnable & Serializable) () -> {}, "done");
        Future<?> runnable = view.submit((Runnable & Serializable) () -> {});

        assertThat(callable).isInstanceOf(TaskFuture.class);
        assertThat(callable.get(60, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(withResult.get(60, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(runnable.get(60, TimeUnit.SECONDS)).isNull();
        assertThat(pool.stats().completed()).isEqualTo(3);
      }
    }

    @Test
    void executeRunsTheCommandOnThePool(@TempDir Path dir) throws Exception {
      Path ran = dir.resolve("ran");
      String where = ran.toString();
      Pool pool = newPool(2);
      ExecutorService view = pool.asExecutorService();
      view.execute(
          (Runnable & Serializable)
              () -> {
                try {
                  Files.createFile(Path.of(where));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      view.shutdown();
      assertThat(view.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).exists();
    }

    @Test
    void nullsAreRefusedWithNullPointerExceptionBeforeAnythingRuns() {
      try (Pool pool = newPool(1)) {
        ExecutorService view = pool.asExecutorService();
        List<Callable<Integer>> withNull = new ArrayList<>();
        withNull.add(value(1));
        withNull.add(null);
        assertThatThrownBy(() -> view.execute(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.submit((Callable<Integer>) null))
            .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.submit((Runnable) null))
            .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.submit(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.invokeAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.invokeAny(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.invokeAll(withNull)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.invokeAny(withNull)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.invokeAll(List.of(value(1)), 1, null))
            .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> view.invokeAny(List.of(value(1)), 1, null))
            .isInstanceOf(NullPointerException.class);
        assertThat(pool.stats().submitted()).isZero();
      }
    }

    @Test
    void invokeAllOfNothingIsNothingAndInvokeAnyOfNothingIsIllegal() throws Exception {
      try (Pool pool = newPool(1)) {
        ExecutorService view = pool.asExecutorService();
        assertThat(view.invokeAll(List.<Callable<Integer>>of())).isEmpty();
        assertThatThrownBy(() -> view.invokeAny(List.<Callable<Integer>>of()))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }

    @Test
    void invokeAllReturnsOnceEveryTaskIsDoneEachReportingThroughItsFuture() throws Exception {
      try (Pool pool = newPool(2)) {
        List<Future<Integer>> futures =
            pool.asExecutorService().invokeAll(List.of(value(1), failing(), value(3)));

        assertThat(futures).hasSize(3).allMatch(Future::isDone);
        assertThat(futures.get(0).get()).isEqualTo(1);
        assertThatThrownBy(() -> futures.get(1).get())
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(ArithmeticException.class);
        assertThat(futures.get(2).get()).isEqualTo(3);
      }
    }

    @Test
    void invokeAnyReturnsTheValueOfATaskThatSucceededOrTheFailureWhenNoneDid() throws Exception {
      try (Pool pool = newPool(2)) {
        ExecutorService view = pool.asExecutorService();
        assertThat(view.invokeAny(List.of(failing(), value(7)))).isEqualTo(7);
        assertThatThrownBy(() -> view.invokeAny(List.of(failing(), failing())))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(ArithmeticException.class);
      }
    }

    @Test
    void anInterruptedInvokeAllOrInvokeAnyThrowsAndCancelsItsTasks() {
      try (Pool pool = newPool(2)) {
        ExecutorService view = pool.asExecutorService();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> view.invokeAll(List.of(sleeper())))
            .isInstanceOf(InterruptedException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> view.invokeAny(List.of(sleeper())))
            .isInstanceOf(InterruptedException.class);
        assertThat(pool.stats().cancelled()).isEqualTo(2);
      } finally {
        Thread.interrupted();
      }
    }

    @Test
    void timedInvokeAllCancelsWhatHasNotCompletedWhenTimeRunsOut() throws Exception {
      try (Pool pool = newPool(2)) {
        List<Future<Integer>> futures =
            pool.asExecutorService()
                .invokeAll(List.of(value(1), sleeper()), 200, TimeUnit.MILLISECONDS);

        assertThat(futures).hasSize(2).allMatch(Future::isDone);
        assertThat(futures.get(1).isCancelled()).isTrue();
      }
    }

    @Test
    void timedInvokeAnyThrowsTimeoutExceptionAndCancelsItsTasksWhenNoneCompletes() {
      try (Pool pool = newPool(2)) {
        assertThatThrownBy(
                () ->
                    pool.asExecutorService()
                        .invokeAny(List.of(sleeper(), sleeper()), 200, TimeUnit.MILLISECONDS))
            .isInstanceOf(TimeoutException.class);
        assertThat(pool.stats().cancelled()).isEqualTo(2);
      }
    }

    @Test
    void shutdownRefusesNewTasksLetsAcceptedOnesFinishThenTerminates() throws Exception {
      Pool pool = newPool(2);
      ExecutorService view = pool.asExecutorService();
      Future<Integer> accepted = view.submit(value(5));
      assertThat(view.awaitTermination(10, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(view.isTerminated()).isFalse();

      view.shutdown();

      assertThat(view.isShutdown()).isTrue();
      assertThat(pool.isShutdown()).isTrue();
      assertThatThrownBy(() -> view.submit(value(6)))
          .isInstanceOf(RejectedExecutionException.class);
      assertThatThrownBy(() -> view.execute((Runnable & Serializable) () -> {}))
          .isInstanceOf(RejectedExecutionException.class);
      assertThat(view.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(view.isTerminated()).isTrue();
      assertThat(accepted.get()).isEqualTo(5);
    }

    @Test
    void shutdownNowReturnsTheTasksThatNeverStartedAndStopsTheRunningOnes() throws Exception {
      Pool pool = newPool(2);
      ExecutorService view = pool.asExecutorService();
      List<Future<Integer>> running = new ArrayList<>();
      for (int i = 0; i < pool.maxWorkers(); i++) {
        running.add(view.submit(sleeper()));
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (pool.stats().running() < running.size()) {
        assertThat(System.nanoTime()).as("every worker busy").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(5);
      }
      List<Runnable> waiting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Runnable queued = (Runnable & Serializable) () -> {};
        waiting.add(queued);
        view.execute(queued);
      }

      List<Runnable> neverStarted = view.shutdownNow();

      assertThat(neverStarted).containsExactlyInAnyOrderElementsOf(waiting);
      assertThat(view.isShutdown()).isTrue();
      assertThat(view.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(running).allMatch(Future::isCancelled);
      assertThat(pool.stats().running()).isZero();
    }

    @Test
    void closeShutsDownAndWaitsForTheTasks() throws Exception {
      Pool pool = newPool(1);
      ExecutorService view = pool.asExecutorService();
      Future<Integer> future = view.submit(value(9));
      view.close();
      assertThat(view.isTerminated()).isTrue();
      assertThat(future.get()).isEqualTo(9);
    }
  }
}
