package io.jfutures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The pending result of a task submitted to a {@link Pool}: a {@link CompletableFuture} with
 * Python's {@code Future} methods on top.
 *
 * <p>A pool's future is <em>pending</em> while its task waits for a worker, <em>running</em> while
 * a worker runs it, and then done in one of three ways: with a value, failed, or cancelled. A
 * failed future holds the task's own exception, or a {@link TaskFailedException} subclass when the
 * task failed without throwing (its worker died, it timed out), or a {@link BrokenPoolException}.
 * The JDK's methods see exactly that exception: {@link #get()} wraps it in an {@link
 * ExecutionException} and {@link #join()} in a {@code CompletionException}, as for any {@code
 * CompletableFuture}. {@link #result()} instead throws {@link TaskFailedException}.
 *
 * <p>Cancellation differs from {@code CompletableFuture}'s in one respect, and only for futures a
 * pool returned: a task that is already running is not cancelled by {@code cancel(false)} (which
 * returns {@code false}), while {@code cancel(true)} stops it, by interrupting its thread in a
 * {@link ThreadPool} or by killing its worker process in a {@code ProcessPool}.
 *
 * <p>Futures derived from this one ({@code thenApply} and the like) are plain {@code
 * CompletableFuture}s: cancelling them does not cancel the task.
 *
 * @param <T> the type of the task's value
 */
public class TaskFuture<T> extends CompletableFuture<T> {
  private static final System.Logger LOG = System.getLogger("io.jfutures");
  private static final VarHandle CALLBACKS;

  static {
    try {
      CALLBACKS =
          MethodHandles.lookup().findVarHandle(TaskFuture.class, "callbacks", Callbacks.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Created on the first {@link #onDone}, so that futures without callbacks pay nothing. */
  @SuppressWarnings("unused") // set through CALLBACKS
  private volatile Callbacks<T> callbacks;

  /**
   * Creates a future that is not bound to any task; complete it as any {@code CompletableFuture}.
   */
  public TaskFuture() {}

  /**
   * Waits for the task and returns its value.
   *
   * @throws CancellationException if the task was cancelled, or if this thread was interrupted
   *     while waiting (the interrupt status is then set again)
   * @throws TaskFailedException if the task failed; its cause is the task's own exception, unless
   *     this is itself a subclass that says why the task failed without throwing
   * @throws BrokenPoolException if the pool broke before the task ran
   */
  public T result() {
    return result(null);
  }

  /**
   * Like {@link #result()}, waiting at most {@code timeout} ({@code null}: without limit).
   *
   * @throws WaitTimeoutException if the task is not done in time; the task is not cancelled
   */
  public T result(Duration timeout) {
    if (!isDone()) {
      await(timeout);
    }
    try {
      return join();
    } catch (CompletionException e) {
      throw failure(e.getCause());
    } catch (CancellationException e) {
      throw new CancellationException("the task was cancelled");
    }
  }

  /**
   * Waits for the task and returns what it failed with, or {@code null} if it returned a value.
   *
   * @throws CancellationException if the task was cancelled, or this thread was interrupted
   */
  public Throwable exception() {
    return exception(null);
  }

  /**
   * Like {@link #exception()}, waiting at most {@code timeout} ({@code null}: without limit).
   *
   * @throws WaitTimeoutException if the task is not done in time; the task is not cancelled
   */
  public Throwable exception(Duration timeout) {
    await(timeout);
    return switch (state()) {
      case SUCCESS -> null;
      case FAILED -> exceptionNow();
      default -> throw new CancellationException("the task was cancelled");
    };
  }

  /** Whether a worker is running the task right now. False for futures not made by a pool. */
  public boolean isRunning() {
    return false;
  }

  /**
   * Runs {@code callback} once this future is done, however it ends. Callbacks run in the order
   * they were added, on the thread that completes the future, or at once on this thread if it is
   * already done. An exception thrown by a callback is logged (logger {@code "io.jfutures"}) and
   * swallowed, and the later callbacks still run.
   *
   * @return this future
   */
  public TaskFuture<T> onDone(Consumer<? super TaskFuture<T>> callback) {
    java.util.Objects.requireNonNull(callback, "callback");
    Callbacks<T> list = callbacks;
    if (list == null) {
      Callbacks<T> fresh = new Callbacks<>();
      list = (Callbacks<T>) CALLBACKS.compareAndExchange(this, null, fresh);
      if (list == null) {
        list = fresh;
        Callbacks<T> installed = fresh;
        whenComplete((value, failure) -> installed.drain(this));
      }
    }
    if (!list.add(callback)) {
      runCallback(callback, this);
    }
    return this;
  }

  /** Derived stages are plain futures: they do not carry the task's cancellation semantics. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  private void await(Duration timeout) {
    try {
      if (timeout == null) {
        get();
      } else {
        get(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException | CancellationException e) {
      // the outcome is read by the caller
    } catch (TimeoutException e) {
      throw new WaitTimeoutException("the task was not done within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException cancelled =
          new CancellationException("interrupted while waiting for the task");
      cancelled.initCause(e);
      throw cancelled;
    }
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * The exception {@link #result()} throws for a failed task: what the pool already reported as a
   * failure as it is, anything else wrapped.
   */
  static RuntimeException failure(Throwable cause) {
    if (cause instanceof TaskFailedException tfe) {
      return tfe;
    }
    if (cause instanceof BrokenPoolException broken) {
      return broken;
    }
    return new TaskFailedException("the task failed: " + cause, cause);
  }

  private static <F> void runCallback(Consumer<? super F> callback, F future) {
    try {
      callback.accept(future);
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "a done-callback threw; ignoring it", t);
    }
  }

  /**
   * The callbacks added by {@link #onDone}, in order. Once the future is done, a drain runs them
   * until the list is empty and then closes it; an add after that is refused, and the caller runs
   * its callback itself. So every callback runs exactly once and in the order added.
   */
  private static final class Callbacks<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private List<Consumer<? super TaskFuture<T>>> waiting = new ArrayList<>(2);
    private boolean closed;

    boolean add(Consumer<? super TaskFuture<T>> callback) {
      lock.lock();
      try {
        if (closed) {
          return false;
        }
        waiting.add(callback);
        return true;
      } finally {
        lock.unlock();
      }
    }

    void drain(TaskFuture<T> future) {
      while (true) {
        List<Consumer<? super TaskFuture<T>>> batch;
        lock.lock();
        try {
          if (waiting.isEmpty()) {
            closed = true;
            return;
          }
          batch = waiting;
          waiting = new ArrayList<>(2);
        } finally {
          lock.unlock();
        }
        for (Consumer<? super TaskFuture<T>> callback : batch) {
          runCallback(callback, future);
        }
      }
    }
  }
}
