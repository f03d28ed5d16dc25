package io.jfutures;

import io.jfutures.base.PoolCore;
import io.jfutures.thread.ThreadBackend;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of threads, for I/O-bound work: Python's {@code ThreadPoolExecutor}, with the {@link
 * TaskFuture} and {@code map} of every jfutures pool.
 *
 * <pre>{@code
 * try (ThreadPool pool = ThreadPool.create(8)) {
 *   List<TaskFuture<String>> futures = urls.stream().map(u -> pool.submit(() -> fetch(u))).toList();
 *   for (TaskFuture<String> f : Futures.asCompleted(futures)) {
 *     System.out.println(f.result());
 *   }
 * }
 * }</pre>
 *
 * <p>With platform threads (the default) the pool starts a thread per task until it has {@link
 * #maxWorkers()}, reusing idle ones first, and keeps them until shutdown. With {@linkplain
 * #virtual() virtual threads} every task gets a fresh virtual thread, optionally at most {@code
 * maxWorkers} at once. Threads are named {@code prefix-n}, n counting from 0 per pool. An
 * initializer runs at the start of every thread; if it throws, the pool is broken: the waiting
 * tasks and every later submit fail with {@link BrokenPoolException}, caused by what it threw.
 *
 * <p>{@code cancel(true)} on a running task interrupts its thread; the task then ends as soon as it
 * notices (a blocking call throws, or it checks {@link Thread#isInterrupted()}), and its future is
 * cancelled at once. Worker threads are daemons, yet a program whose {@code main} returns without
 * closing the pool still runs every submitted task to the end before it exits.
 */
public final class ThreadPool extends ForwardingPool {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private ThreadPool(Builder builder) {
    super(core(builder));
  }

  private static PoolCore core(Builder builder) {
    int number = POOLS.incrementAndGet();
    String prefix =
        builder.threadNamePrefix != null ? builder.threadNamePrefix : "ThreadPool-" + number;
    int max;
    if (builder.maxWorkers > 0) {
      max = builder.maxWorkers;
    } else if (builder.virtual) {
      max = Integer.MAX_VALUE;
    } else {
      max = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
    }
    String name = "ThreadPool-" + number;
    return new PoolCore(
        name, new ThreadBackend(name, max, builder.virtual, prefix, builder.initializer));
  }

  /** Platform threads, at most {@code min(32, processors + 4)}. */
  public static ThreadPool create() {
    return builder().build();
  }

  /**
   * Platform threads, at most {@code maxWorkers}.
   *
   * @throws IllegalArgumentException if {@code maxWorkers < 1}
   */
  public static ThreadPool create(int maxWorkers) {
    return builder().maxWorkers(maxWorkers).build();
  }

  /** A virtual thread per task, with no limit on how many run at once. */
  public static ThreadPool virtual() {
    return builder().virtualThreads().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link ThreadPool}. */
  public static final class Builder {
    private int maxWorkers;
    private boolean virtual;
    private String threadNamePrefix;
    private Action initializer;

    private Builder() {}

    /**
     * The most threads at once: for platform threads the pool size (default {@code min(32,
     * processors + 4)}), for virtual threads a cap on concurrency (default none).
     *
     * @throws IllegalArgumentException if {@code maxWorkers < 1}
     */
    public Builder maxWorkers(int maxWorkers) {
      this.maxWorkers = atLeast(1, "maxWorkers", maxWorkers);
      return this;
    }

    /** A virtual thread per task instead of a pool of platform threads. */
    public Builder virtualThreads() {
      this.virtual = true;
      return this;
    }

    /** Threads are named {@code prefix-0}, {@code prefix-1}, ... (default {@code ThreadPool-k}). */
    public Builder threadNamePrefix(String prefix) {
      this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Runs at the start of every worker thread, before its first task. */
    public Builder initializer(Action initializer) {
      this.initializer = Objects.requireNonNull(initializer, "initializer");
      return this;
    }

    public ThreadPool build() {
      return new ThreadPool(this);
    }
  }
}
