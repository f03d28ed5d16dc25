package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** ThreadPool as an executor: CPython's ThreadPoolExecutor tests, ported to the contract. */
class ThreadPoolTest {
  private static final Set<Thread> WORKERS = ConcurrentHashMap.newKeySet();

  /** A task that blocks until {@code release} opens and notes its thread. */
  private static Task<String> blockOn(CountDownLatch started, CountDownLatch release) {
    return () -> {
      WORKERS.add(Thread.currentThread());
      started.countDown();
      release.await();
      return Thread.currentThread().getName();
    };
  }

  @Test
  void submitRunsTheTaskAndReturnsItsValue() {
    try (ThreadPool pool = ThreadPool.create(2)) {
      assertThat(pool.submit(() -> 6 * 7).result()).isEqualTo(42);
      assertThat(pool.submit(() -> null).result()).isNull();
    }
  }

  @Test
  void defaultSizeIsCpusPlusFourAtMost32() {
    try (ThreadPool pool = ThreadPool.create()) {
      int cpus = Runtime.getRuntime().availableProcessors();
      assertThat(pool.maxWorkers()).isEqualTo(Math.min(32, cpus + 4));
    }
  }

  @Test
  void invalidMaxWorkersIsRejectedWithTheOptionsName() {
    assertThatThrownBy(() -> ThreadPool.create(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWorkers");
    assertThatThrownBy(() -> ThreadPool.builder().maxWorkers(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWorkers");
  }

  @Test
  void saturationNeverExceedsMaxWorkers() throws Exception {
    CountDownLatch started = new CountDownLatch(4);
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPool pool = ThreadPool.create(4)) {
      List<TaskFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        futures.add(pool.submit(blockOn(started, release)));
      }
      started.await();
      PoolStats stats = pool.stats();
      assertThat(stats.workersStarted()).isEqualTo(4);
      assertThat(stats.running()).isEqualTo(4);
      assertThat(stats.queued()).isEqualTo(8);
      release.countDown();
      for (TaskFuture<String> f : futures) {
        f.result();
      }
      assertThat(pool.stats().workersStarted()).isEqualTo(4);
    }
  }

  @Test
  void idleWorkersAreReusedBeforeNewOnesStart() {
    try (ThreadPool pool = ThreadPool.create(8)) {
      for (int i = 0; i < 50; i++) {
        pool.submit(() -> 1).result();
      }
      assertThat(pool.stats().workersStarted()).isEqualTo(1);
    }
  }

  @Test
  void threadsAreNamedPrefixDashN() throws Exception {
    CountDownLatch started = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPool pool =
        ThreadPool.builder().maxWorkers(3).threadNamePrefix("SpecialPool").build()) {
      List<TaskFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        futures.add(pool.submit(blockOn(started, release)));
      }
      started.await();
      release.countDown();
      List<String> names = new ArrayList<>();
      for (TaskFuture<String> f : futures) {
        names.add(f.result());
      }
      assertThat(names)
          .containsExactlyInAnyOrder("SpecialPool-0", "SpecialPool-1", "SpecialPool-2");
    }
  }

  @Test
  void defaultThreadNamesStartWithThreadPool() {
    try (ThreadPool pool = ThreadPool.create(1)) {
      assertThat(pool.submit(() -> Thread.currentThread().getName()).result())
          .matches("ThreadPool-\\d+-0");
    }
  }

  private static final ThreadLocal<String> INITIALIZED = new ThreadLocal<>();

  @Test
  void initializerRunsOncePerThreadBeforeItsTasks() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPool pool =
        ThreadPool.builder()
            .maxWorkers(2)
            .initializer(
                () -> {
                  runs.incrementAndGet();
                  INITIALIZED.set("yes");
                })
            .build()) {
      pool.submit(blockOn(started, release));
      pool.submit(blockOn(started, release));
      started.await();
      release.countDown();
      for (int i = 0; i < 20; i++) {
        assertThat(pool.submit(INITIALIZED::get).result()).isEqualTo("yes");
      }
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void failingInitializerBreaksThePool() {
    ThreadPool pool =
        ThreadPool.builder()
            .maxWorkers(2)
            .initializer(
                () -> {
                  throw new IllegalStateException("no database");
                })
            .build();
    try {
      TaskFuture<Integer> first = pool.submit(() -> 1);
      assertThat(first.exception())
          .isInstanceOf(BrokenPoolException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("no database");
      assertThatThrownBy(first::result).isInstanceOf(BrokenPoolException.class);
      assertThatThrownBy(() -> pool.submit(() -> 2))
          .isInstanceOf(BrokenPoolException.class)
          .cause()
          .hasMessage("no database");
      assertThatThrownBy(() -> pool.map(x -> x, List.of(1)))
          .isInstanceOf(BrokenPoolException.class);
    } finally {
      pool.close();
    }
  }

  @Test
  void submitAfterShutdownIsRejected() {
    ThreadPool pool = ThreadPool.create(1);
    pool.shutdown(true, false);
    assertThat(pool.isShutdown()).isTrue();
    assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> pool.map(x -> x, List.of(1)))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void shutdownIsIdempotent() {
    ThreadPool pool = ThreadPool.create(2);
    pool.submit(() -> 1).result();
    pool.shutdown(true, false);
    pool.shutdown(true, false);
    pool.shutdown(false, true);
    pool.close();
    assertThat(pool.isShutdown()).isTrue();
  }

  @Test
  void shutdownWaitFinishesEveryTaskAndEveryWorker() throws Exception {
    ThreadPool pool = ThreadPool.create(3);
    List<TaskFuture<Integer>> futures = new ArrayList<>();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 30; i++) {
      int x = i;
      futures.add(
          pool.submit(
              () -> {
                threads.add(Thread.currentThread());
                Thread.sleep(2);
                return x;
              }));
    }
    pool.shutdown(true, false);
    for (TaskFuture<Integer> f : futures) {
      assertThat(f.isDone()).isTrue();
      assertThat(f.isCancelled()).isFalse();
    }
    for (Thread t : threads) {
      assertThat(t.isAlive()).as(t.getName() + " exited").isFalse();
    }
  }

  @Test
  void shutdownWithoutWaitReturnsAndTheTasksStillFinish() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ThreadPool pool = ThreadPool.create(1);
    TaskFuture<String> running = pool.submit(blockOn(started, release));
    TaskFuture<Integer> queued = pool.submit(() -> 5);
    started.await();
    pool.shutdown(false, false);
    assertThat(running.isDone()).isFalse();
    release.countDown();
    assertThat(running.result()).isNotNull();
    assertThat(queued.result()).isEqualTo(5);
  }

  @Test
  void shutdownCancelPendingCancelsOnlyWhatHasNotStarted() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ThreadPool pool = ThreadPool.create(1);
    TaskFuture<String> running = pool.submit(blockOn(started, release));
    List<TaskFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      queued.add(pool.submit(() -> 1));
    }
    started.await();
    pool.shutdown(false, true);
    for (TaskFuture<Integer> f : queued) {
      assertThat(f.isCancelled()).isTrue();
      assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
    }
    release.countDown();
    assertThat(running.result()).isNotNull();
    pool.shutdown(true, false);
    assertThat(pool.stats().cancelled()).isEqualTo(10);
    assertThat(pool.stats().completed()).isEqualTo(1);
  }

  @Test
  void submitsRacingWithShutdownAreEitherRejectedOrRun() throws Exception {
    for (int round = 0; round < 200; round++) {
      ThreadPool pool = ThreadPool.create(2);
      List<TaskFuture<Integer>> accepted = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger rejected = new AtomicInteger();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> submitters = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        submitters.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        go.await();
                        for (int i = 0; i < 50; i++) {
                          accepted.add(pool.submit(() -> 1));
                        }
                      } catch (RejectedExecutionException e) {
                        rejected.incrementAndGet();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      go.countDown();
      pool.shutdown(true, false);
      for (Thread t : submitters) {
        t.join();
      }
      for (TaskFuture<Integer> f : accepted) {
        assertThat(f.result(Duration.ofMinutes(1))).isEqualTo(1);
      }
      assertThat(pool.stats().submitted()).isEqualTo(accepted.size());
      assertThat(pool.stats().completed()).isEqualTo(accepted.size());
    }
  }

  @Test
  void aTaskMayShutDownItsOwnPoolWithoutDeadlock() {
    ThreadPool pool = ThreadPool.create(2);
    TaskFuture<Boolean> f =
        pool.submit(
            () -> {
              pool.shutdown(true, false);
              return pool.isShutdown();
            });
    assertThat(f.result(Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void statsCountEveryOutcome() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPool pool = ThreadPool.create(1)) {
      pool.submit(() -> 1).result();
      pool.submit(
              () -> {
                throw new IllegalStateException();
              })
          .exception();
      TaskFuture<String> blocker = pool.submit(blockOn(started, release));
      started.await();
      TaskFuture<Integer> queued = pool.submit(() -> 2);
      PoolStats mid = pool.stats();
      assertThat(mid.submitted()).isEqualTo(4);
      assertThat(mid.completed()).isEqualTo(1);
      assertThat(mid.failed()).isEqualTo(1);
      assertThat(mid.running()).isEqualTo(1);
      assertThat(mid.queued()).isEqualTo(1);
      queued.cancel(false);
      release.countDown();
      blocker.result();
      PoolStats end = pool.stats();
      assertThat(end.completed()).isEqualTo(2);
      assertThat(end.cancelled()).isEqualTo(1);
      assertThat(end.running()).isZero();
      assertThat(end.queued()).isZero();
      assertThat(end.workersCrashed()).isZero();
    }
  }

  /**
   * Each worker thread counts into a tally of its own, handed on to the next thread once it exits:
   * the counts stay exact while virtual threads come and go wave after wave, and when a task's
   * future is settled by another thread (a cancel, a completion from outside) instead of its own.
   */
  @Test
  void statsStayExactWhileThreadsComeAndGoAndOtherThreadsSettleTasks() throws Exception {
    try (ThreadPool pool = ThreadPool.builder().virtualThreads().maxWorkers(8).build()) {
      for (int wave = 0; wave < 20; wave++) {
        List<TaskFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          int n = i;
          futures.add(pool.submit(() -> n));
        }
        for (TaskFuture<Integer> future : futures) {
          future.result();
        }
      }
      CountDownLatch started = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      TaskFuture<String> cancelled = pool.submit(blockOn(started, release));
      TaskFuture<String> completedFromOutside = pool.submit(blockOn(started, release));
      started.await();
      cancelled.cancel(true);
      completedFromOutside.complete("from outside");
      release.countDown();
      assertThat(completedFromOutside.result()).isEqualTo("from outside");

      PoolStats stats = pool.stats();
      assertThat(stats.submitted()).isEqualTo(10_002);
      assertThat(stats.completed()).isEqualTo(10_001);
      assertThat(stats.cancelled()).isEqualTo(1);
      assertThat(stats.failed()).isZero();
      assertThat(stats.running()).isZero();
      assertThat(stats.queued()).isZero();
      assertThat(stats.workersStarted()).isGreaterThan(8);
    }
  }

  /** Whether {@code ref} is cleared after a few collections. */
  private static boolean collected(java.lang.ref.WeakReference<?> ref) throws InterruptedException {
    for (int i = 0; i < 20 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    return ref.get() == null;
  }

  private static TaskFuture<Integer> submitCapturingAMegabyte(
      ThreadPool pool, List<java.lang.ref.WeakReference<byte[]>> captured) {
    byte[] big = new byte[1 << 20];
    captured.add(new java.lang.ref.WeakReference<>(big));
    return pool.submit(() -> big.length);
  }

  @Test
  void aKeptFutureDoesNotKeepWhatItsTaskCaptured() throws Exception {
    try (ThreadPool pool = ThreadPool.create(1)) {
      List<java.lang.ref.WeakReference<byte[]>> captured = new ArrayList<>();
      TaskFuture<Integer> f = submitCapturingAMegabyte(pool, captured);
      assertThat(f.result()).isEqualTo(1 << 20);
      captured = List.of(captured.get(0));
      assertThat(collected(captured.get(0))).as("the capture was released").isTrue();
      assertThat(f.result()).isEqualTo(1 << 20);
    }
  }

  @Test
  void mapDoesNotHoldOnToResultsItHandedOut() throws Exception {
    try (ThreadPool pool = ThreadPool.create(2)) {
      List<java.lang.ref.WeakReference<Object>> refs = new ArrayList<>();
      Iterator<Object> it =
          pool.map((Integer x) -> new Object(), IntStream.range(0, 10).boxed().toList()).iterator();
      while (it.hasNext()) {
        refs.add(new java.lang.ref.WeakReference<>(it.next()));
      }
      for (java.lang.ref.WeakReference<Object> ref : refs) {
        assertThat(collected(ref)).isTrue();
      }
    }
  }

  @Test
  void virtualThreadsRunEachTaskOnAVirtualThread() throws Exception {
    int tasks = 1000;
    CountDownLatch allStarted = new CountDownLatch(tasks);
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPool pool = ThreadPool.virtual()) {
      assertThat(pool.maxWorkers()).isEqualTo(Integer.MAX_VALUE);
      List<TaskFuture<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        futures.add(
            pool.submit(
                () -> {
                  allStarted.countDown();
                  release.await();
                  return Thread.currentThread().isVirtual();
                }));
      }
      assertThat(allStarted.await(60, TimeUnit.SECONDS)).as("all ran at once").isTrue();
      release.countDown();
      for (TaskFuture<Boolean> f : futures) {
        assertThat(f.result()).isTrue();
      }
    }
  }

  @Test
  void virtualThreadsWithACapNeverRunMoreAtOnce() {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    try (ThreadPool pool =
        ThreadPool.builder().virtualThreads().maxWorkers(3).threadNamePrefix("v").build()) {
      List<TaskFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        futures.add(
            pool.submit(
                () -> {
                  peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                  Thread.sleep(1);
                  now.decrementAndGet();
                  return Thread.currentThread().getName();
                }));
      }
      for (TaskFuture<String> f : futures) {
        assertThat(f.result()).matches("v-\\d+");
      }
      assertThat(peak.get()).isBetween(1, 3);
    }
  }

  @Test
  void cancelTrueInterruptsAVirtualThread() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    try (ThreadPool pool = ThreadPool.virtual()) {
      TaskFuture<String> f =
          pool.submit(
              () -> {
                started.countDown();
                Thread.sleep(Duration.ofHours(1));
                return "never";
              });
      started.await();
      assertThat(f.cancel(true)).isTrue();
      assertThat(f.isCancelled()).isTrue();
    }
  }
}
