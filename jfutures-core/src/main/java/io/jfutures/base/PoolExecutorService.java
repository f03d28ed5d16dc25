package io.jfutures.base;

import io.jfutures.Task;
import io.jfutures.TaskFuture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pool seen as an {@link ExecutorService} ({@link io.jfutures.Pool#asExecutorService}, which says
 * what users see). Every task goes through {@link PoolCore#submit}, wrapped in a {@link Task} that
 * travels when what it wraps does; nothing here runs a task itself.
 *
 * <p>Invariants: {@code given} holds each task the view accepted until its future is done, keyed by
 * the future, with the {@code Runnable} or {@code Callable} as given, so that {@code shutdownNow}
 * can return the ones that never started. An entry is added before a callback that removes it is
 * registered, so a task that ends at once leaves nothing behind. {@code invokeAll} and {@code
 * invokeAny} are built on {@code submit} rather than on {@link
 * java.util.concurrent.AbstractExecutorService}, whose helpers would hand the pool the JDK's own
 * (unserializable) task classes.
 */
final class PoolExecutorService implements ExecutorService {
  private static final System.Logger LOG = System.getLogger("io.jfutures");

  private final PoolCore pool;
  private final Map<TaskFuture<?>, Object> given = new ConcurrentHashMap<>();

  PoolExecutorService(PoolCore pool) {
    this.pool = pool;
  }

  /** A {@code Callable} as a task: serializable when the callable is. */
  private record CallableTask<T>(Callable<T> callable) implements Task<T> {
    @Override
    public T call() throws Exception {
      return callable.call();
    }

    @Override
    public String toString() {
      return callable.toString();
    }
  }

  /** A {@code Runnable} as a task that answers {@code result}: serializable when both are. */
  private record RunnableTask<T>(Runnable runnable, T result) implements Task<T> {
    @Override
    public T call() {
      runnable.run();
      return result;
    }

    @Override
    public String toString() {
      return runnable.toString();
    }
  }

  private <T> TaskFuture<T> track(Task<T> task, Object original) {
    TaskFuture<T> future = pool.submit(task);
    given.put(future, original);
    future.onDone(given::remove);
    return future;
  }

  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    TaskFuture<Void> future = track(new RunnableTask<>(command, null), command);
    Throwable failed = future.isCompletedExceptionally() ? future.exception() : null;
    if (failed instanceof IOException && pool.tasksTravel()) {
      throw new RejectedExecutionException(
          pool.name() + " cannot run " + command + ": " + failed.getMessage(), failed);
    }
    future.onDone(
        done -> {
          Throwable thrown = done.isCancelled() ? null : done.exception();
          if (thrown != null) {
            LOG.log(
                System.Logger.Level.WARNING,
                "a task given to " + pool.name() + "'s execute threw: " + command,
                thrown);
          }
        });
  }

  @Override
  public <T> TaskFuture<T> submit(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return track(task instanceof Task<T> own ? own : new CallableTask<>(task), task);
  }

  @Override
  public <T> TaskFuture<T> submit(Runnable task, T result) {
    Objects.requireNonNull(task, "task");
    return track(new RunnableTask<>(task, result), task);
  }

  @Override
  public TaskFuture<?> submit(Runnable task) {
    return submit(task, null);
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    return invokeAll(tasks, Long.MAX_VALUE, false);
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    return invokeAll(tasks, unit.toNanos(timeout), true);
  }

  private <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long nanos, boolean timed)
      throws InterruptedException {
    List<Callable<T>> all = checked(tasks);
    long deadline = System.nanoTime() + nanos;
    List<Future<T>> futures = new ArrayList<>(all.size());
    boolean finished = false;
    try {
      for (Callable<T> task : all) {
        futures.add(submit(task));
      }
      for (Future<T> future : futures) {
        if (future.isDone()) {
          continue;
        }
        try {
          if (timed) {
            future.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          } else {
            future.get();
          }
        } catch (CancellationException | ExecutionException e) {
          // the future holds it: invokeAll reports through the futures
        } catch (TimeoutException e) {
          return futures;
        }
      }
      finished = true;
      return futures;
    } finally {
      if (!finished) {
        cancel(futures);
      }
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    try {
      return invokeAny(tasks, Long.MAX_VALUE, false);
    } catch (TimeoutException cannotHappen) {
      throw new AssertionError(cannotHappen);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return invokeAny(tasks, unit.toNanos(timeout), true);
  }

  private <T> T invokeAny(Collection<? extends Callable<T>> tasks, long nanos, boolean timed)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<Callable<T>> all = checked(tasks);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("invokeAny needs at least one task");
    }
    long deadline = System.nanoTime() + nanos;
    BlockingQueue<TaskFuture<T>> done = new LinkedBlockingQueue<>();
    List<TaskFuture<T>> futures = new ArrayList<>(all.size());
    try {
      for (Callable<T> task : all) {
        futures.add(submit(task).onDone(done::add));
      }
      ExecutionException last = null;
      for (int i = 0; i < futures.size(); i++) {
        TaskFuture<T> next =
            timed ? done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) : done.take();
        if (next == null) {
          throw new TimeoutException("no task completed within the timeout");
        }
        try {
          return next.get();
        } catch (ExecutionException e) {
          last = e;
        } catch (CancellationException e) {
          last = new ExecutionException("a task was cancelled", e);
        }
      }
      throw last;
    } finally {
      cancel(futures);
    }
  }

  /** The tasks, refusing a null collection or element before any is submitted. */
  private static <T> List<Callable<T>> checked(Collection<? extends Callable<T>> tasks) {
    Objects.requireNonNull(tasks, "tasks");
    List<Callable<T>> all = new ArrayList<>(tasks);
    for (Callable<T> task : all) {
      Objects.requireNonNull(task, "a task in tasks");
    }
    return all;
  }

  private static void cancel(List<? extends Future<?>> futures) {
    for (Future<?> future : futures) {
      future.cancel(true);
    }
  }

  @Override
  public void shutdown() {
    pool.shutdown(false, false);
  }

  @Override
  public List<Runnable> shutdownNow() {
    pool.shutdown(false, false);
    List<Runnable> neverStarted = new ArrayList<>();
    for (Map.Entry<TaskFuture<?>, Object> entry : given.entrySet()) {
      if (!entry.getKey().isRunning() && entry.getKey().cancel(false)) {
        neverStarted.add(
            entry.getValue() instanceof Runnable runnable
                ? runnable
                : futureTask((Callable<?>) entry.getValue()));
      }
    }
    pool.shutdown(false, true);
    for (TaskFuture<?> future : given.keySet()) {
      future.cancel(true);
    }
    return neverStarted;
  }

  private static <T> FutureTask<T> futureTask(Callable<T> callable) {
    return new FutureTask<>(callable);
  }

  @Override
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return pool.awaitTermination(unit.toNanos(timeout));
  }

  @Override
  public String toString() {
    return pool.name() + ".asExecutorService()" + (isShutdown() ? "[shut down]" : "");
  }
}
