package io.jfutures.base;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A pool's task counts, and the thread that keeps the JVM alive while any task is unfinished.
 *
 * <p>Counts are in user tasks: an {@link Execution} adds its weight (1, or the inputs of a map
 * chunk). Only monotonic counters are kept, one or two additions per task; the gauges are derived:
 *
 * <pre>
 *   queued     = submitted - started - settledWhilePending
 *   running    = started - (completed + failed + cancelled - settledWhilePending)
 * </pre>
 *
 * and {@code unfinished = submitted - finished}, where a task is finished once the dependents of
 * its future have run too.
 *
 * <p><b>Keep-alive.</b> Pool workers are daemon threads, so an idle pool never holds the JVM up.
 * While tasks are unfinished a single non-daemon thread does, so that a {@code main} that returns
 * without closing its pool still sees every task finish. It checks every {@value #KEEP_ALIVE_MS} ms
 * and exits once nothing is unfinished. The hand-over is race-free: a submit counts its task and
 * then looks at {@code keeperAlive}; the keeper clears {@code keeperAlive} and then looks at the
 * count; whichever comes second sees the other.
 */
final class Ledger {
  static final long KEEP_ALIVE_MS = 50;

  private final String keeperName;
  private final LongAdder submitted = new LongAdder();
  private final LongAdder started = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder settledWhilePending = new LongAdder();
  private final LongAdder finished = new LongAdder();
  private final AtomicBoolean keeperAlive = new AtomicBoolean();
  private volatile Tally[] tallies = new Tally[0];

  Ledger(String keeperName) {
    this.keeperName = keeperName;
  }

  void submitted(int weight) {
    submitted.add(weight);
    if (!keeperAlive.get() && keeperAlive.compareAndSet(false, true)) {
      Thread.ofPlatform().daemon(false).name(keeperName).start(this::keepAlive);
    }
  }

  /** Takes back a submit that was rejected after all, because shutdown overtook it. */
  void withdrawn(int weight) {
    submitted.add(-weight);
  }

  synchronized void register(Tally tally) {
    Tally[] more = Arrays.copyOf(tallies, tallies.length + 1);
    more[tallies.length] = tally;
    tallies = more;
  }

  void started(int weight, Tally tally) {
    if (tally != null && tally.ownedHereFor(this)) {
      tally.addStarted(weight);
    } else {
      started.add(weight);
    }
  }

  void succeeded(Execution<?> execution, int fromPhase, Object value, Tally tally) {
    boolean own = tally != null && tally.ownedHereFor(this);
    if (value instanceof ChunkResult chunk) {
      int failures = chunk.failure() == null ? 0 : 1;
      if (own) {
        tally.addCompleted(chunk.succeeded());
      } else {
        completed.add(chunk.succeeded());
      }
      if (failures > 0) {
        failed.add(failures);
      }
      int rest = execution.weight() - chunk.succeeded() - failures;
      if (rest > 0) {
        cancelled.add(rest);
      }
    } else if (own) {
      tally.addCompleted(execution.weight());
    } else {
      completed.add(execution.weight());
    }
    countPending(execution, fromPhase);
  }

  void failed(Execution<?> execution, int fromPhase) {
    failed.add(execution.weight());
    countPending(execution, fromPhase);
  }

  void cancelled(Execution<?> execution, int fromPhase) {
    cancelled.add(execution.weight());
    countPending(execution, fromPhase);
  }

  void finished(int weight, Tally tally) {
    if (tally != null && tally.ownedHereFor(this)) {
      tally.addFinished(weight);
    } else {
      finished.add(weight);
    }
  }

  private void countPending(Execution<?> execution, int fromPhase) {
    if (fromPhase == 0) {
      settledWhilePending.add(execution.weight());
    }
  }

  long submitted() {
    return submitted.sum();
  }

  long completed() {
    long sum = completed.sum();
    for (Tally t : tallies) {
      sum += t.completed();
    }
    return sum;
  }

  private long started() {
    long sum = started.sum();
    for (Tally t : tallies) {
      sum += t.started();
    }
    return sum;
  }

  private long finished() {
    long sum = finished.sum();
    for (Tally t : tallies) {
      sum += t.finished();
    }
    return sum;
  }

  long failed() {
    return failed.sum();
  }

  long cancelled() {
    return cancelled.sum();
  }

  long queued() {
    return Math.max(0, submitted.sum() - started() - settledWhilePending.sum());
  }

  long running() {
    long settled = completed() + failed.sum() + cancelled.sum();
    return Math.max(0, started() - (settled - settledWhilePending.sum()));
  }

  /**
   * Never less than the true count: {@code finished} is read before {@code submitted}, so a task
   * submitted and finished in between adds to both or only to {@code submitted}.
   */
  long unfinished() {
    long done = finished();
    return submitted.sum() - done;
  }

  private void keepAlive() {
    while (true) {
      LockSupport.parkNanos(KEEP_ALIVE_MS * 1_000_000);
      if (unfinished() <= 0) {
        keeperAlive.set(false);
        if (unfinished() <= 0 || !keeperAlive.compareAndSet(false, true)) {
          return;
        }
      }
    }
  }
}
