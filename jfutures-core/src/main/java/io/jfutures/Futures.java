package io.jfutures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Waiting on many futures at once: Python's {@code as_completed} and {@code wait}.
 *
 * <p>Both accept any {@link Future}. A {@link CompletableFuture} (every {@link TaskFuture} is one)
 * reports its completion directly. Other futures have no completion callback, so each is watched by
 * a virtual thread blocked in its {@code get()}; those threads end when the future completes or
 * when the wait is over, whichever is first.
 *
 * <p>Futures are told apart by identity, and a future given twice counts once.
 */
public final class Futures {
  private Futures() {}

  /**
   * The futures in the order they complete: first those already done (in the order given), then
   * each as it completes, every distinct future once. Iterating blocks until the next one is done.
   */
  public static <F extends Future<?>> Iterable<F> asCompleted(Collection<? extends F> futures) {
    return asCompleted(futures, null);
  }

  /**
   * Like {@link #asCompleted(Collection)}, with a time limit counted from this call: once it has
   * run out, {@code next()} throws {@link WaitTimeoutException} whose message reads {@code "N (of
   * M) futures unfinished"}. Nothing is cancelled. {@code null}: no limit.
   */
  public static <F extends Future<?>> Iterable<F> asCompleted(
      Collection<? extends F> futures, Duration timeout) {
    List<F> distinct = distinct(futures);
    long deadline = deadline(timeout);
    return () -> new CompletionOrder<>(distinct, deadline);
  }

  /**
   * Waits until {@code when} holds or {@code timeout} runs out ({@code null}: no limit), and says
   * which futures were done then. Never throws on timeout.
   *
   * @throws CancellationException if this thread is interrupted while waiting (its interrupt status
   *     is then set again)
   */
  public static <F extends Future<?>> DoneAndPending<F> waitFor(
      Collection<? extends F> futures, Duration timeout, ReturnWhen when) {
    Objects.requireNonNull(when, "when");
    List<F> distinct = distinct(futures);
    long deadline = deadline(timeout);
    try (Watch<F> watch = new Watch<>()) {
      List<F> undone = new ArrayList<>();
      boolean satisfied = false;
      int done = 0;
      for (F f : distinct) {
        if (f.isDone()) {
          done++;
          satisfied |= triggers(f, when);
        } else {
          undone.add(f);
        }
      }
      if (!satisfied && done < distinct.size()) {
        watch.watchAll(undone);
        while (!satisfied && done < distinct.size()) {
          F f = watch.next(deadline);
          if (f == null) {
            break;
          }
          done++;
          satisfied = triggers(f, when);
        }
      }
    }
    Set<F> doneSet = new LinkedHashSet<>();
    Set<F> pendingSet = new LinkedHashSet<>();
    for (F f : distinct) {
      (f.isDone() ? doneSet : pendingSet).add(f);
    }
    return new DoneAndPending<>(doneSet, pendingSet);
  }

  /** Whether a done future ends a wait for {@code when} on its own. */
  private static boolean triggers(Future<?> f, ReturnWhen when) {
    return switch (when) {
      case FIRST_COMPLETED -> true;
      case FIRST_EXCEPTION -> f.state() == Future.State.FAILED;
      case ALL_COMPLETED -> false;
    };
  }

  private static <F extends Future<?>> List<F> distinct(Collection<? extends F> futures) {
    Objects.requireNonNull(futures, "futures");
    Set<F> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<F> distinct = new ArrayList<>(futures.size());
    for (F f : futures) {
      if (seen.add(Objects.requireNonNull(f, "a future in the collection is null"))) {
        distinct.add(f);
      }
    }
    return distinct;
  }

  /** A {@code System.nanoTime()} deadline; {@code Long.MAX_VALUE} for none (or a century). */
  private static long deadline(Duration timeout) {
    if (timeout == null) {
      return Long.MAX_VALUE;
    }
    long nanos = Math.max(0, TaskFuture.saturatedNanos(timeout));
    return nanos > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : System.nanoTime() + nanos;
  }

  /**
   * One iteration of {@link #asCompleted}: the done futures, then the watched ones as they land.
   */
  private static final class CompletionOrder<F extends Future<?>> implements Iterator<F> {
    private final int total;
    private final long deadline;
    private final Iterator<F> alreadyDone;
    private final Watch<F> watch = new Watch<>();
    private int yielded;

    CompletionOrder(List<F> futures, long deadline) {
      this.total = futures.size();
      this.deadline = deadline;
      List<F> done = new ArrayList<>();
      List<F> undone = new ArrayList<>();
      for (F f : futures) {
        (f.isDone() ? done : undone).add(f);
      }
      this.alreadyDone = done.iterator();
      watch.watchAll(undone);
    }

    @Override
    public boolean hasNext() {
      return yielded < total;
    }

    @Override
    public F next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      F f = alreadyDone.hasNext() ? alreadyDone.next() : watch.next(deadline);
      if (f == null) {
        watch.close();
        throw new WaitTimeoutException(
            (total - yielded) + " (of " + total + ") futures unfinished");
      }
      if (++yielded == total) {
        watch.close();
      }
      return f;
    }
  }

  /**
   * Collects futures as they complete. Closing it stops the threads watching plain futures; the
   * callbacks on {@code CompletableFuture}s cannot be removed and simply fill a queue nobody reads.
   */
  private static final class Watch<F extends Future<?>> implements AutoCloseable {
    private final LinkedBlockingQueue<F> completed = new LinkedBlockingQueue<>();
    private final List<Thread> watchers = new ArrayList<>();

    void watchAll(List<F> futures) {
      for (F f : futures) {
        if (f instanceof CompletableFuture<?> cf) {
          cf.whenComplete((value, failure) -> completed.add(f));
        } else {
          watchers.add(Thread.ofVirtual().name("jfutures-watch").start(() -> await(f)));
        }
      }
    }

    private void await(F f) {
      try {
        f.get();
      } catch (InterruptedException e) {
        return;
      } catch (Exception | Error e) {
        // done either way; the caller reads the outcome from the future
      }
      completed.add(f);
    }

    /** The next future to complete, or null if none did before {@code deadline}. */
    F next(long deadline) {
      try {
        if (deadline == Long.MAX_VALUE) {
          return completed.take();
        }
        return completed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        close();
        Thread.currentThread().interrupt();
        CancellationException cancelled =
            new CancellationException("interrupted while waiting for futures");
        cancelled.initCause(e);
        throw cancelled;
      }
    }

    @Override
    public void close() {
      for (Thread t : watchers) {
        t.interrupt();
      }
    }
  }
}
