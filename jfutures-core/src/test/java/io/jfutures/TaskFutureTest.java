package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The future state machine and callbacks: CPython's FutureTests, ported to the contract. */
class TaskFutureTest {
  private final ThreadPool pool = ThreadPool.create(2);

  @AfterEach
  void closePool() {
    pool.shutdown(true, true);
  }

  /** A task that blocks until released, and says when it has started. */
  static final class Gate {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    <T> Task<T> task(T value) {
      return () -> {
        started.countDown();
        release.await();
        return value;
      };
    }
  }

  /** Occupies both workers, so later tasks stay pending. */
  private Gate[] fillPool() throws InterruptedException {
    Gate a = new Gate();
    Gate b = new Gate();
    pool.submit(a.task(1));
    pool.submit(b.task(2));
    a.started.await();
    b.started.await();
    return new Gate[] {a, b};
  }

  @Test
  void pendingThenRunningThenDone() throws Exception {
    Gate gate = new Gate();
    TaskFuture<String> f = pool.submit(gate.task("v"));
    gate.started.await();
    assertThat(f.isRunning()).isTrue();
    assertThat(f.isDone()).isFalse();
    assertThat(f.state()).isEqualTo(Future.State.RUNNING);
    gate.release.countDown();
    assertThat(f.result()).isEqualTo("v");
    assertThat(f.isRunning()).isFalse();
    assertThat(f.isDone()).isTrue();
    assertThat(f.state()).isEqualTo(Future.State.SUCCESS);
    assertThat(f.exception()).isNull();
  }

  @Test
  void pendingTaskIsNotRunningAndCanBeCancelled() throws Exception {
    Gate[] busy = fillPool();
    TaskFuture<Integer> pending = pool.submit(() -> 3);
    assertThat(pending.isRunning()).isFalse();
    assertThat(pending.isDone()).isFalse();
    assertThat(pending.cancel(false)).isTrue();
    assertThat(pending.isCancelled()).isTrue();
    assertThat(pending.isDone()).isTrue();
    assertThat(pending.state()).isEqualTo(Future.State.CANCELLED);
    assertThatThrownBy(pending::result).isInstanceOf(CancellationException.class);
    assertThatThrownBy(pending::exception).isInstanceOf(CancellationException.class);
    busy[0].release.countDown();
    busy[1].release.countDown();
  }

  @Test
  void cancelFalseDoesNotStopARunningTask() throws Exception {
    Gate gate = new Gate();
    TaskFuture<String> f = pool.submit(gate.task("finished"));
    gate.started.await();
    assertThat(f.cancel(false)).isFalse();
    assertThat(f.isCancelled()).isFalse();
    gate.release.countDown();
    assertThat(f.result()).isEqualTo("finished");
  }

  @Test
  void cancelTrueInterruptsARunningTask() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TaskFuture<String> f =
        pool.submit(
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
              }
              return "never";
            });
    started.await();
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
    // The interrupt does not leak into the next task on the same thread.
    for (int i = 0; i < 20; i++) {
      assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).result()).isFalse();
    }
  }

  @Test
  void cancelOfADoneFutureReturnsFalse() {
    TaskFuture<Integer> f = pool.submit(() -> 1);
    f.result();
    assertThat(f.cancel(true)).isFalse();
    assertThat(f.cancel(false)).isFalse();
    assertThat(f.result()).isEqualTo(1);
  }

  @Test
  void failedTaskRaisesTaskFailedExceptionWithTheTasksOwnCause() {
    TaskFuture<Integer> f =
        pool.submit(
            () -> {
              throw new IllegalStateException("Bad number!");
            });
    assertThatThrownBy(f::result)
        .isInstanceOf(TaskFailedException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Bad number!");
    assertThat(f.exception()).isInstanceOf(IllegalStateException.class);
    assertThat(f.state()).isEqualTo(Future.State.FAILED);
    assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void checkedExceptionsAndErrorsAreFailuresToo() {
    TaskFuture<Integer> checked =
        pool.submit(
            () -> {
              throw new java.io.IOException("disk");
            });
    TaskFuture<Integer> error =
        pool.submit(
            () -> {
              throw new StackOverflowError("deep");
            });
    assertThat(checked.exception()).isInstanceOf(java.io.IOException.class);
    assertThat(error.exception()).isInstanceOf(StackOverflowError.class);
  }

  @Test
  void resultWithTimeoutThrowsWaitTimeoutAndCancelsNothing() throws Exception {
    Gate gate = new Gate();
    TaskFuture<String> f = pool.submit(gate.task("late"));
    assertThatThrownBy(() -> f.result(Duration.ofMillis(20)))
        .isInstanceOf(WaitTimeoutException.class);
    assertThatThrownBy(() -> f.exception(Duration.ZERO)).isInstanceOf(WaitTimeoutException.class);
    assertThat(f.isCancelled()).isFalse();
    gate.release.countDown();
    assertThat(f.result(Duration.ofMinutes(1))).isEqualTo("late");
  }

  @Test
  void interruptedWaitThrowsCancellationAndKeepsTheInterrupt() throws Exception {
    Gate gate = new Gate();
    TaskFuture<String> f = pool.submit(gate.task("x"));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      gate.release.countDown();
    }
    assertThat(f.isCancelled()).isFalse();
  }

  @Test
  void callbacksRunInTheOrderAdded() throws Exception {
    Gate gate = new Gate();
    TaskFuture<String> f = pool.submit(gate.task("v"));
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch all = new CountDownLatch(50);
    for (int i = 0; i < 50; i++) {
      int n = i;
      f.onDone(
          done -> {
            order.add(n);
            all.countDown();
          });
    }
    gate.release.countDown();
    all.await();
    assertThat(order)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
  }

  @Test
  void callbackOnADoneFutureRunsAtOnceOnTheCallersThread() {
    TaskFuture<Integer> f = pool.submit(() -> 7);
    f.result();
    Thread[] ranOn = new Thread[1];
    f.onDone(done -> ranOn[0] = Thread.currentThread());
    assertThat(ranOn[0]).isSameAs(Thread.currentThread());
  }

  @Test
  void callbackRunsOnTheCompletingThread() throws Exception {
    Gate gate = new Gate();
    TaskFuture<String> f = pool.submit(gate.task("v"));
    CountDownLatch ran = new CountDownLatch(1);
    String[] threadName = new String[1];
    f.onDone(
        done -> {
          threadName[0] = Thread.currentThread().getName();
          ran.countDown();
        });
    gate.release.countDown();
    ran.await();
    assertThat(threadName[0]).startsWith("ThreadPool-");
  }

  @Test
  void callbacksSeeCancelledAndFailedFutures() throws Exception {
    Gate[] busy = fillPool();
    TaskFuture<Integer> pending = pool.submit(() -> 1);
    AtomicInteger sawCancelled = new AtomicInteger();
    pending.onDone(d -> sawCancelled.set(d.isCancelled() ? 1 : 2));
    pending.cancel(false);
    assertThat(sawCancelled).hasValue(1);
    busy[0].release.countDown();
    busy[1].release.countDown();

    TaskFuture<Integer> failing =
        pool.submit(
            () -> {
              throw new IllegalArgumentException("no");
            });
    CountDownLatch failed = new CountDownLatch(1);
    Throwable[] seen = new Throwable[1];
    failing.onDone(
        d -> {
          seen[0] = d.exception();
          failed.countDown();
        });
    failed.await();
    assertThat(seen[0]).isInstanceOf(IllegalArgumentException.class);
  }

  /** Captures what jfutures logs through System.Logger (backed by java.util.logging here). */
  static final class LogCapture extends Handler {
    final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private final LogCapture log = new LogCapture();

  @BeforeEach
  void captureLog() {
    Logger.getLogger("io.jfutures").addHandler(log);
  }

  @AfterEach
  void releaseLog() {
    Logger.getLogger("io.jfutures").removeHandler(log);
  }

  @Test
  void throwingCallbackIsLoggedAndTheNextOnesStillRun() throws Exception {
    Gate gate = new Gate();
    TaskFuture<String> f = pool.submit(gate.task("v"));
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch last = new CountDownLatch(1);
    f.onDone(d -> ran.add("first"));
    f.onDone(
        d -> {
          throw new IllegalStateException("callback boom");
        });
    f.onDone(
        d -> {
          ran.add("third");
          last.countDown();
        });
    gate.release.countDown();
    last.await();
    assertThat(ran).containsExactly("first", "third");
    assertThat(log.records).anySatisfy(r -> assertThat(r.getThrown()).hasMessage("callback boom"));
    // The throwing callback did not disturb the future.
    assertThat(f.result()).isEqualTo("v");
  }

  @Test
  void aHundredWaitersAreReleasedAtOnce() throws Exception {
    Gate gate = new Gate();
    TaskFuture<String> f = pool.submit(gate.task("go"));
    int waiters = 100;
    CountDownLatch waiting = new CountDownLatch(waiters);
    CountDownLatch released = new CountDownLatch(waiters);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    waiting.countDown();
                    seen.add(f.result());
                    released.countDown();
                  }));
    }
    waiting.await();
    gate.release.countDown();
    assertThat(released.await(60, TimeUnit.SECONDS)).as("every waiter woke up").isTrue();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(seen).hasSize(waiters).containsOnly("go");
  }

  @Test
  void derivedStagesArePlainCompletableFutures() {
    TaskFuture<Integer> f = pool.submit(() -> 20);
    assertThat(f.thenApply(x -> x + 1).join()).isEqualTo(21);
    assertThat(f.thenApply(x -> x)).isNotInstanceOf(TaskFuture.class);
  }

  @Test
  void aFreeTaskFutureWorksLikeACompletableFuture() {
    TaskFuture<String> f = new TaskFuture<>();
    List<String> got = new ArrayList<>();
    f.onDone(d -> got.add(d.result()));
    assertThat(f.isRunning()).isFalse();
    f.complete("manual");
    assertThat(got).containsExactly("manual");
  }
}
