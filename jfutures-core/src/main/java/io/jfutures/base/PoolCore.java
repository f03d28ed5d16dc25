package io.jfutures.base;

import io.jfutures.BrokenPoolException;
import io.jfutures.Fn;
import io.jfutures.MapOptions;
import io.jfutures.Pool;
import io.jfutures.PoolInsights;
import io.jfutures.PoolStats;
import io.jfutures.Task;
import io.jfutures.TaskFuture;
import io.jfutures.jfr.TaskSubmitted;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The one implementation of {@link Pool}, shared by every back end: it owns the futures, the
 * counts, {@code map} and the order of shutdown, and hands each accepted task to its {@link
 * Backend}. The public pool classes are thin faces over it.
 *
 * <p>Submit takes no lock, as in {@code ThreadPoolExecutor}: it hands the task to the back end,
 * then looks at the shutdown flag again, and if shutdown came in between it withdraws the task and
 * rejects it, unless a worker already took it, in which case it runs. Shutdown sets the flag before
 * it tells the back end, and a back end's workers exit only once nothing is queued, so a task is
 * either rejected or run (or cancelled), never stranded.
 */
public final class PoolCore implements Pool {
  private final String name;
  private final long createdAt = System.nanoTime();
  private final Backend backend;
  private final Ledger ledger;
  private final ReentrantLock shutdownLock = new ReentrantLock();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean shutdown;
  private volatile PoolExecutorService executorService;

  /**
   * @param name how the pool is named in messages and in the name of its keep-alive thread
   */
  public PoolCore(String name, Backend backend) {
    this.name = name;
    this.backend = backend;
    this.ledger = new Ledger(name + "-keepalive");
    ManagedPools.publish(this);
  }

  /** How the pool is named in messages, thread names and JMX. */
  public String name() {
    return name;
  }

  @Override
  public <T> TaskFuture<T> submit(Task<T> task) {
    return enqueue(Objects.requireNonNull(task, "task"), 1);
  }

  /** Accepts {@code task}, standing for {@code weight} user tasks, and hands it to the back end. */
  <T> Execution<T> enqueue(Task<T> task, int weight) {
    Execution<T> execution = new Execution<>(task, ledger, weight);
    checkOpen();
    TaskSubmitted event = new TaskSubmitted();
    if (event.shouldCommit()) {
      event.pool = name;
      event.task = SlowestTasks.describe(task);
      event.inputs = weight;
      event.commit();
    }
    ledger.submitted(weight);
    backend.execute(execution);
    if (shutdown && backend.withdraw(execution)) {
      ledger.withdrawn(weight);
      throw new RejectedExecutionException(name + " is shut down");
    }
    return execution;
  }

  /** Throws what a submit would throw now: the pool is shut down or broken. */
  void checkOpen() {
    if (shutdown) {
      throw new RejectedExecutionException(name + " is shut down");
    }
    RuntimeException broken = backend.brokenCause();
    if (broken != null) {
      throw new BrokenPoolException(broken.getMessage(), broken.getCause());
    }
  }

  @Override
  public <A, R> Stream<R> map(Fn<? super A, ? extends R> fn, Iterable<? extends A> inputs) {
    return map(fn, inputs, MapOptions.defaults());
  }

  @Override
  public <A, R> Stream<R> map(
      Fn<? super A, ? extends R> fn, Iterable<? extends A> inputs, MapOptions options) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(options, "options");
    checkOpen();
    return MapRun.stream(this, fn, inputs, options);
  }

  @Override
  public <A, R> Stream<R> map(
      Fn<? super A, ? extends R> fn, Stream<? extends A> inputs, MapOptions options) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(options, "options");
    checkOpen();
    return MapRun.stream(this, fn, inputs, options);
  }

  Backend backend() {
    return backend;
  }

  @Override
  public void shutdown(boolean wait, boolean cancelPending) {
    shutdownLock.lock();
    try {
      if (!shutdown) {
        shutdown = true;
        backend.shutdown();
        Thread.ofVirtual().name(name + "-termination").start(this::awaitWorkersThenTerminate);
      }
      if (cancelPending) {
        backend.cancelPending();
      }
    } finally {
      shutdownLock.unlock();
    }
    if (wait) {
      try {
        backend.awaitTermination();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ManagedPools.withdraw(this);
  }

  private void awaitWorkersThenTerminate() {
    try {
      backend.awaitTermination();
      terminated.countDown();
    } catch (InterruptedException e) {
      // nothing interrupts this thread but the JVM's end
    }
  }

  /**
   * Whether the pool is shut down and every task has ended and every worker exited: what {@link
   * java.util.concurrent.ExecutorService#isTerminated} means.
   */
  boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /** Waits until {@link #isTerminated}, at most {@code nanos}; returns whether it is. */
  boolean awaitTermination(long nanos) throws InterruptedException {
    return terminated.await(nanos, TimeUnit.NANOSECONDS);
  }

  /** Whether a task that cannot be encoded fails as it is submitted (see {@link Backend}). */
  boolean tasksTravel() {
    return backend.tasksTravel();
  }

  @Override
  public ExecutorService asExecutorService() {
    PoolExecutorService view = executorService;
    if (view == null) {
      synchronized (this) {
        view = executorService;
        if (view == null) {
          view = new PoolExecutorService(this);
          executorService = view;
        }
      }
    }
    return view;
  }

  @Override
  public void close() {
    shutdown(true, false);
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public int maxWorkers() {
    return backend.maxWorkers();
  }

  @Override
  public PoolStats stats() {
    return new PoolStats(
        ledger.submitted(),
        ledger.completed(),
        ledger.failed(),
        ledger.cancelled(),
        ledger.running(),
        ledger.queued(),
        backend.workersStarted(),
        backend.workersCrashed(),
        backend.workersRecycledForMemory());
  }

  @Override
  public PoolInsights insights() {
    return backend.insights(name, Duration.ofNanos(System.nanoTime() - createdAt));
  }

  @Override
  public String toString() {
    return name + (shutdown ? "[shut down]" : "") + stats();
  }
}
