package io.jfutures.base;

import io.jfutures.Task;
import io.jfutures.TaskFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task accepted by a pool, and the future its submitter holds. A back end drives it through
 * {@link #begin}, then {@link #complete} or {@link #completeExceptionally}; users may {@link
 * #cancel} it at any time.
 *
 * <p>Its life is a small state machine on {@code phase}:
 *
 * <pre>
 *   PENDING --begin--> RUNNING --complete / fail--> DONE
 *      |                  |
 *      |                  +--cancel(true)--> STOPPING --(stopper ran, future cancelled)--> DONE
 *      +--cancel / complete / fail--> DONE
 * </pre>
 *
 * Every move is one compare-and-set, so exactly one outcome wins: a task cancelled while running
 * cannot also complete, and a value set by an outside {@code complete} before the task started
 * makes {@code begin} refuse to run it. {@code cancel(false)} succeeds only from PENDING. The
 * pool's {@link Ledger} is told of each outcome before the future's dependents run, so that anyone
 * woken by the future sees counts that include it, and told again once they have run, so that the
 * JVM is not let go while a callback is still due.
 *
 * <p>A back end that runs tasks on threads must call {@link #awaitStopped} after a task returns and
 * before reusing the thread: it waits out a concurrent {@code cancel(true)} so that its interrupt
 * cannot hit the next task.
 *
 * @param <T> the task's value type
 */
public final class Execution<T> extends TaskFuture<T> {
  /** How a back end stops a running task: interrupts its thread, kills its process. */
  @FunctionalInterface
  public interface Stopper {
    void stop(Execution<?> execution);

    /**
     * The tally this stopper's thread counts its tasks into, or null for the ledger's shared
     * counts; see {@link Tally}.
     */
    default Tally tally() {
      return null;
    }
  }

  private static final int PENDING = 0;
  private static final int RUNNING = 1;
  private static final int STOPPING = 2;
  private static final int DONE = 3;

  private static final System.Logger LOG = System.getLogger("io.jfutures");
  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(Execution.class, "phase", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Dropped once the future settles, so that a kept future does not keep what the task captured.
   */
  private Task<T> task;

  private final Ledger ledger;
  private final int weight;
  private volatile int phase;

  /** Written before the move to RUNNING, read only after seeing RUNNING. */
  private Stopper stopper;

  /**
   * @param weight how many of the user's tasks this stands for: 1, or the inputs of a map chunk
   */
  Execution(Task<T> task, Ledger ledger, int weight) {
    this.task = task;
    this.ledger = ledger;
    this.weight = weight;
  }

  /** The task; read it between {@link #begin} and settling, after which it is null. */
  public Task<T> task() {
    return task;
  }

  /** How many of the user's tasks this stands for: 1, or the inputs of a map chunk. */
  public int weight() {
    return weight;
  }

  /**
   * Moves a pending task to running. Returns false, and the back end must drop the task, if it was
   * cancelled or otherwise completed while it waited.
   */
  public boolean begin(Stopper stopper) {
    this.stopper = stopper;
    if (PHASE.compareAndSet(this, PENDING, RUNNING)) {
      ledger.started(weight, stopper.tally());
      return true;
    }
    return false;
  }

  private Tally tally() {
    Stopper s = stopper;
    return s == null ? null : s.tally();
  }

  @Override
  public boolean isRunning() {
    return phase == RUNNING;
  }

  /** Waits, briefly, until a concurrent {@code cancel(true)} of this task has finished. */
  public void awaitStopped() {
    while (phase == STOPPING) {
      Thread.onSpinWait();
    }
  }

  @Override
  public boolean complete(T value) {
    int from = settle();
    if (from < 0) {
      return false;
    }
    Tally tally = tally();
    ledger.succeeded(this, from, value, tally);
    super.complete(value);
    ledger.finished(weight, tally);
    return true;
  }

  @Override
  public boolean completeExceptionally(Throwable failure) {
    int from = settle();
    if (from < 0) {
      return false;
    }
    ledger.failed(this, from);
    super.completeExceptionally(failure);
    ledger.finished(weight, tally());
    return true;
  }

  /**
   * Cancels a pending task; with {@code mayInterruptIfRunning}, also a running one, which its back
   * end's stopper then stops. Returns whether the future is now cancelled.
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    while (true) {
      int p = phase;
      if (p == PENDING) {
        if (PHASE.compareAndSet(this, PENDING, DONE)) {
          task = null;
          ledger.cancelled(this, PENDING);
          super.cancel(false);
          ledger.finished(weight, null);
          return true;
        }
      } else if (p == RUNNING) {
        if (!mayInterruptIfRunning) {
          return false;
        }
        if (PHASE.compareAndSet(this, RUNNING, STOPPING)) {
          task = null;
          try {
            stopper.stop(this);
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping a cancelled task failed", e);
          }
          ledger.cancelled(this, RUNNING);
          super.cancel(true);
          phase = DONE;
          ledger.finished(weight, null);
          return true;
        }
      } else {
        return p == STOPPING || isCancelled();
      }
    }
  }

  /** Moves to DONE from PENDING or RUNNING; returns the phase it left, or -1 if it was too late. */
  private int settle() {
    while (true) {
      int p = phase;
      if (p != PENDING && p != RUNNING) {
        return -1;
      }
      if (PHASE.compareAndSet(this, p, DONE)) {
        task = null;
        return p;
      }
    }
  }

  @Override
  public String toString() {
    String state =
        switch (phase) {
          case PENDING -> "pending";
          case RUNNING -> "running";
          case STOPPING -> "stopping";
          default ->
              isCancelled() ? "cancelled" : isCompletedExceptionally() ? "failed" : "completed";
        };
    return "TaskFuture@" + Integer.toHexString(hashCode()) + "[" + state + "]";
  }
}
