package io.jfutures;

import io.jfutures.base.PoolCore;
import io.jfutures.process.ProcessTransport;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of worker JVMs, for CPU-bound work and for work that must be contained: Python's {@code
 * ProcessPoolExecutor}, with what threads cannot give.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.create()) {
 *   List<Long> squares = pool.map((Integer n) -> (long) n * n, numbers).toList();
 * }
 * }</pre>
 *
 * <p>Workers are started on demand with this JVM's own {@code java} and class path, so the same
 * classes run on both sides; tasks, map functions and their captures travel by JDK serialization,
 * while map inputs and results of boxed primitives, strings and primitive arrays use a compact
 * encoding. Workers talk to the pool only over their own stdin and stdout; nothing listens on a
 * port. What a task prints reaches this JVM's stderr, prefixed with the worker's name.
 *
 * <p>A worker that dies, whatever the reason ({@code kill -9}, {@code System.exit}, {@code
 * Runtime.halt}, out of memory, a native crash), fails only the task it was running, with {@link
 * WorkerCrashedException} naming its exit code or signal, unless {@linkplain Builder#retries
 * retries} are left, in which case the task runs again on a fresh worker. A replacement is started
 * when there is work for it. A task running longer than the {@linkplain Builder#taskTimeout task
 * timeout} fails with {@link TaskTimeoutException}, and its worker is killed and replaced; {@code
 * cancel(true)} does the same to a running task. Workers exit by themselves when this JVM is gone.
 *
 * <p>A worker runs one task at a time, and holds the next one or two (up to 16 while tasks are very
 * short) so that it never waits for a round trip. A task handed to a worker counts as running
 * ({@link TaskFuture#isRunning()}), so {@code cancel(false)} no longer cancels it; {@code
 * cancel(true)} has the worker skip it if it has not started, and kills the worker if it has.
 */
public final class ProcessPool extends ForwardingPool {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private ProcessPool(Builder builder) {
    super(core(builder));
  }

  private static PoolCore core(Builder builder) {
    String name = "ProcessPool-" + POOLS.incrementAndGet();
    int max =
        builder.maxWorkers > 0 ? builder.maxWorkers : Runtime.getRuntime().availableProcessors();
    return new PoolCore(
        name,
        ProcessTransport.backend(
            new ProcessTransport.Settings(
                name,
                max,
                builder.maxTasksPerWorker,
                builder.taskTimeout,
                builder.retries,
                builder.jvmOptions,
                builder.initializer,
                builder.maxWorkerMemory)));
  }

  /** As many workers as available processors. */
  public static ProcessPool create() {
    return builder().build();
  }

  /**
   * At most {@code maxWorkers} workers.
   *
   * @throws IllegalArgumentException if {@code maxWorkers < 1}
   */
  public static ProcessPool create(int maxWorkers) {
    return builder().maxWorkers(maxWorkers).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link ProcessPool}. */
  public static final class Builder {
    private int maxWorkers;
    private int maxTasksPerWorker;
    private Duration taskTimeout;
    private int retries;
    private List<String> jvmOptions = List.of();
    private Action initializer;
    private long maxWorkerMemory;

    private Builder() {}

    /**
     * The most worker processes at once (default: available processors).
     *
     * @throws IllegalArgumentException if {@code maxWorkers < 1}
     */
    public Builder maxWorkers(int maxWorkers) {
      this.maxWorkers = atLeast(1, "maxWorkers", maxWorkers);
      return this;
    }

    /**
     * A worker that has run {@code k} tasks is replaced by a fresh one (default: never).
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Builder maxTasksPerWorker(int k) {
      this.maxTasksPerWorker = atLeast(1, "maxTasksPerWorker", k);
      return this;
    }

    /**
     * A task still running after {@code timeout} fails with {@link TaskTimeoutException}, and its
     * worker is killed and replaced (default: no limit).
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder taskTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("taskTimeout must be positive, was " + timeout);
      }
      this.taskTimeout = timeout;
      return this;
    }

    /**
     * How many times a task whose worker died is run again on a fresh worker before it fails with
     * {@link WorkerCrashedException} (default 0). A timed-out task is not retried.
     *
     * @throws IllegalArgumentException if {@code retries < 0}
     */
    public Builder retries(int retries) {
      this.retries = atLeast(0, "retries", retries);
      return this;
    }

    /**
     * Replaces a worker whose resident memory grows past {@code bytes} (default: no limit). The
     * memory is the whole worker process's as the operating system counts it, heap, metaspace,
     * code, thread stacks and direct and native memory alike, so the limit must leave room for the
     * JVM itself: a pool whose fresh worker is already over it is broken at once, saying so.
     *
     * <p>After each task, a worker above the limit takes no more tasks and is replaced; the tasks
     * it held and had not begun go to another worker, and no task fails. While a task runs, the
     * worker's memory is read every 100 ms, and a worker above 1.5 × {@code bytes} is killed: its
     * task runs again while {@linkplain #retries retries} last, and otherwise fails with {@link
     * WorkerCrashedException}, whose {@link WorkerCrashedException#limit limit()} is {@link
     * WorkerCrashedException.Limit#MEMORY MEMORY}. {@link PoolStats#workersRecycledForMemory}
     * counts both. Its processes go with it, as with any worker the pool kills.
     *
     * @throws IllegalArgumentException if {@code bytes < 1}
     * @throws UnsupportedOperationException where a process's resident memory cannot be read: it is
     *     read from Linux's {@code /proc}
     */
    public Builder maxWorkerMemory(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxWorkerMemory must be at least 1 byte, was " + bytes);
      }
      if (!ProcessTransport.canReadResidentMemory()) {
        throw new UnsupportedOperationException(
            "maxWorkerMemory needs Linux's /proc to read a worker's resident memory; this is "
                + System.getProperty("os.name"));
      }
      this.maxWorkerMemory = bytes;
      return this;
    }

    /** Options for every worker JVM, such as {@code "-Xmx256m"}. */
    public Builder jvmOptions(String... options) {
      for (String option : options) {
        Objects.requireNonNull(option, "a JVM option is null");
      }
      this.jvmOptions = List.of(options);
      return this;
    }

    /**
     * Runs in every worker before its first task. If it throws, the pool is broken: waiting tasks
     * and later submits fail with {@link BrokenPoolException}, caused by what it threw.
     */
    public Builder initializer(Action initializer) {
      this.initializer = Objects.requireNonNull(initializer, "initializer");
      return this;
    }

    public ProcessPool build() {
      return new ProcessPool(this);
    }
  }
}
