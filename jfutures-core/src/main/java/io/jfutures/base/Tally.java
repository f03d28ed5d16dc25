package io.jfutures.base;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker thread's share of its pool's task counts, written by that thread alone: a plain add
 * and an ordered store, where a shared {@code LongAdder} costs an atomic read-modify-write per
 * count. A back end whose workers are long-lived threads hands one to each {@link Execution#begin},
 * through its {@link Execution.Stopper}; the {@link Ledger} counts into it only on the thread that
 * {@linkplain #adopt adopted} it, and into its shared adders otherwise, so a count made elsewhere
 * (a cancel, a completion from another thread) is never lost.
 *
 * <p>Tallies are never dropped, since their counts must stay: a back end reuses the tally of a
 * thread that exited for the next one it starts, so there are never more than the most threads it
 * ran at once. The owner's stores are opaque and precede the future's completion, a volatile write,
 * so whoever sees a task done sees it counted; readers sum the tallies without locking, as they sum
 * a {@code LongAdder}'s cells.
 *
 * <p>Padded on both sides (the JVM lays a superclass's fields first), since two threads' tallies on
 * one cache line would make their cores take it from each other on every task.
 */
public final class Tally extends TallyFields {
  @SuppressWarnings("unused")
  private long q0, q1, q2, q3, q4, q5, q6, q7;

  private static final VarHandle STARTED;
  private static final VarHandle COMPLETED;
  private static final VarHandle FINISHED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STARTED = lookup.findVarHandle(TallyFields.class, "started", long.class);
      COMPLETED = lookup.findVarHandle(TallyFields.class, "completed", long.class);
      FINISHED = lookup.findVarHandle(TallyFields.class, "finished", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Makes the calling thread the one that counts into this tally from now on. */
  public void adopt() {
    owner = Thread.currentThread();
  }

  /** Whether the calling thread counts into this tally for {@code ledger}; registers it there. */
  boolean ownedHereFor(Ledger ledger) {
    if (owner != Thread.currentThread()) {
      return false;
    }
    if (this.ledger != ledger) {
      if (this.ledger != null) {
        return false;
      }
      ledger.register(this);
      this.ledger = ledger;
    }
    return true;
  }

  void addStarted(int weight) {
    STARTED.setOpaque(this, started + weight);
  }

  void addCompleted(int weight) {
    COMPLETED.setOpaque(this, completed + weight);
  }

  void addFinished(int weight) {
    FINISHED.setOpaque(this, finished + weight);
  }

  long started() {
    return (long) STARTED.getAcquire(this);
  }

  long completed() {
    return (long) COMPLETED.getAcquire(this);
  }

  long finished() {
    return (long) FINISHED.getAcquire(this);
  }
}

/** Padding, so that no other object's fields share a cache line with a tally's counts. */
@SuppressWarnings("unused")
class TallyPadding {
  long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The fields of a {@link Tally}, laid out after its superclass's padding. */
class TallyFields extends TallyPadding {
  /** The thread that counts here; only it writes the counts. */
  Thread owner;

  /** The ledger whose counts these are, once the first count came. */
  Ledger ledger;

  long started;
  long completed;
  long finished;
}
