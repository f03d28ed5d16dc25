package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** asCompleted and waitFor: CPython's AsCompletedTests and WaitTests, ported. */
class FuturesTest {
  private final ThreadPool pool = ThreadPool.create(4);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    release.countDown();
    pool.shutdown(true, true);
  }

  private TaskFuture<String> blocked(String value) {
    return pool.submit(
        () -> {
          release.await();
          return value;
        });
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static CompletableFuture<String> failed() {
    return CompletableFuture.failedFuture(new IllegalStateException("failed"));
  }

  private static CompletableFuture<String> cancelled() {
    CompletableFuture<String> f = new CompletableFuture<>();
    f.cancel(false);
    return f;
  }

  @Test
  void asCompletedYieldsDoneFuturesFirstThenInCompletionOrder() {
    CompletableFuture<String> late = new CompletableFuture<>();
    CompletableFuture<String> early = new CompletableFuture<>();
    CompletableFuture<String> already = done("already");
    List<CompletableFuture<String>> futures = List.of(late, early, already);
    Iterator<CompletableFuture<String>> it = Futures.asCompleted(futures).iterator();
    assertThat(it.next()).isSameAs(already);
    early.complete("early");
    assertThat(it.next()).isSameAs(early);
    late.complete("late");
    assertThat(it.next()).isSameAs(late);
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void asCompletedYieldsEachDistinctFutureOnce() {
    CompletableFuture<String> a = done("a");
    CompletableFuture<String> b = failed();
    List<Future<String>> seen = new ArrayList<>();
    for (Future<String> f : Futures.asCompleted(List.of(a, a, b, a, b))) {
      seen.add(f);
    }
    assertThat(seen).containsExactly(a, b);
  }

  @Test
  void asCompletedIncludesFailedAndCancelledFutures() {
    List<CompletableFuture<String>> futures = List.of(done("ok"), failed(), cancelled());
    List<CompletableFuture<String>> seen = new ArrayList<>();
    Futures.asCompleted(futures).forEach(seen::add);
    assertThat(seen).containsExactlyElementsOf(futures);
  }

  @Test
  void asCompletedTimeoutSaysHowManyAreUnfinishedAndCancelsNothing() {
    TaskFuture<String> stuck1 = blocked("x");
    TaskFuture<String> stuck2 = blocked("y");
    CompletableFuture<String> finished = done("z");
    Iterator<Future<String>> it =
        Futures.<Future<String>>asCompleted(
                List.of(stuck1, finished, stuck2), Duration.ofMillis(50))
            .iterator();
    assertThat(it.next()).isSameAs(finished);
    assertThatThrownBy(it::next)
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("2 (of 3) futures unfinished");
    assertThat(stuck1.isCancelled()).isFalse();
    assertThat(stuck2.isCancelled()).isFalse();
  }

  @Test
  void asCompletedTimeoutIsCountedFromTheCall() throws Exception {
    TaskFuture<String> stuck = blocked("x");
    Iterable<TaskFuture<String>> iterable = Futures.asCompleted(List.of(stuck), Duration.ZERO);
    assertThatThrownBy(() -> iterable.iterator().next())
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("1 (of 1) futures unfinished");
  }

  @Test
  void asCompletedOfAnEmptyCollectionIsEmpty() {
    assertThat(Futures.asCompleted(List.<Future<?>>of()).iterator().hasNext()).isFalse();
  }

  @Test
  void asCompletedWorksOnPlainJdkFutures() throws Exception {
    ExecutorService jdk = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Future<String> slow =
          jdk.submit(
              () -> {
                go.await();
                return "slow";
              });
      Future<String> fast = jdk.submit(() -> "fast");
      fast.get();
      Iterator<Future<String>> it = Futures.asCompleted(List.of(slow, fast)).iterator();
      assertThat(it.next()).isSameAs(fast);
      go.countDown();
      assertThat(it.next()).isSameAs(slow);
      assertThat(it.hasNext()).isFalse();
    } finally {
      jdk.shutdownNow();
    }
  }

  @Test
  void asCompletedOverPoolFuturesWithTheArticlesPattern() {
    List<TaskFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int x = i;
      futures.add(
          pool.submit(
              () -> {
                if (x == 5) {
                  throw new IllegalArgumentException("Bad number!");
                }
                return x * 2;
              }));
    }
    List<Integer> values = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (TaskFuture<Integer> f : Futures.asCompleted(futures)) {
      try {
        values.add(f.result());
      } catch (TaskFailedException e) {
        errors.add(e.getCause().getMessage());
      }
    }
    assertThat(values).containsExactlyInAnyOrder(0, 2, 4, 6, 8, 12, 14, 16, 18);
    assertThat(errors).containsExactly("Bad number!");
  }

  @Test
  void waitFirstCompletedReturnsAsSoonAsOneIsDone() {
    TaskFuture<String> stuck = blocked("x");
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> finished = new CompletableFuture<>();
    pool.submit(() -> finished.complete("now"));
    DoneAndPending<Future<String>> r =
        Futures.waitFor(List.of(stuck, pending, finished), null, ReturnWhen.FIRST_COMPLETED);
    assertThat(r.done()).containsExactly(finished);
    assertThat(r.pending()).containsExactly(stuck, pending);
  }

  @Test
  void waitFirstExceptionReturnsOnAFailureButNotOnACancellation() {
    TaskFuture<String> stuck = blocked("x");
    CompletableFuture<String> cancelled = cancelled();
    TaskFuture<String> failing =
        pool.submit(
            () -> {
              throw new IllegalStateException("boom");
            });
    DoneAndPending<Future<String>> r =
        Futures.waitFor(List.of(stuck, cancelled, failing), null, ReturnWhen.FIRST_EXCEPTION);
    assertThat(r.done()).containsExactly(cancelled, failing);
    assertThat(r.pending()).containsExactly(stuck);
  }

  @Test
  void waitFirstExceptionWithoutFailuresWaitsForAll() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = cancelled();
    pool.submit(() -> a.complete("a"));
    DoneAndPending<Future<String>> r =
        Futures.waitFor(List.of(a, b), null, ReturnWhen.FIRST_EXCEPTION);
    assertThat(r.done()).containsExactly(a, b);
    assertThat(r.pending()).isEmpty();
  }

  @Test
  void waitAllCompleted() {
    List<TaskFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int x = i;
      futures.add(pool.submit(() -> x));
    }
    DoneAndPending<TaskFuture<Integer>> r =
        Futures.waitFor(futures, null, ReturnWhen.ALL_COMPLETED);
    assertThat(r.done()).containsExactlyElementsOf(futures);
    assertThat(r.pending()).isEmpty();
  }

  @Test
  void waitTimesOutWithoutThrowing() {
    TaskFuture<String> stuck = blocked("x");
    CompletableFuture<String> finished = done("y");
    DoneAndPending<Future<String>> r =
        Futures.waitFor(List.of(stuck, finished), Duration.ofMillis(30), ReturnWhen.ALL_COMPLETED);
    assertThat(r.done()).containsExactly(finished);
    assertThat(r.pending()).containsExactly(stuck);
    assertThat(stuck.isCancelled()).isFalse();
  }

  @Test
  void waitOnPlainJdkFutures() throws Exception {
    FutureTask<String> never = new FutureTask<>(() -> "never run");
    FutureTask<String> ran = new FutureTask<>(() -> "ran");
    Thread.ofPlatform().start(ran);
    DoneAndPending<FutureTask<String>> r =
        Futures.waitFor(List.of(never, ran), null, ReturnWhen.FIRST_COMPLETED);
    assertThat(r.done()).containsExactly(ran);
    assertThat(r.pending()).containsExactly(never);
    DoneAndPending<FutureTask<String>> timedOut =
        Futures.waitFor(List.of(never, ran), Duration.ofMillis(20), ReturnWhen.ALL_COMPLETED);
    assertThat(timedOut.pending()).containsExactly(never);
  }

  @Test
  void waitResultSetsAreUnmodifiable() {
    DoneAndPending<CompletableFuture<String>> r =
        Futures.waitFor(List.of(done("a")), null, ReturnWhen.ALL_COMPLETED);
    assertThatThrownBy(() -> r.done().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
