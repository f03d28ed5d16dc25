package io.jfutures.base;

import io.jfutures.PoolInsights;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The running totals of one place where a pool's worker runs, across the workers that hold it in
 * turn: the raw material of a {@link PoolInsights.Worker}.
 *
 * <p><b>One writer at a time:</b> the worker's own thread (threads), or the dispatcher under its
 * lock (worker processes, members); a place is handed from one worker to its replacement through
 * that lock or a concurrent queue, which orders the writes. Any thread may take a {@link #snapshot}
 * at any time: each total is read on its own, as of some recent moment, so totals may be a task
 * apart. The totals written once per task ({@code busy}, {@code tasks}) are written with opaque
 * stores, which cost what a plain store does; the rest, written once per worker, are volatile.
 *
 * <p>Idle time is not measured but derived: the time the place's workers lived after start-up,
 * times their threads, less busy and waiting time.
 */
public final class WorkerTimes {
  private static final VarHandle BUSY;
  private static final VarHandle TASKS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      BUSY = lookup.findVarHandle(WorkerTimes.class, "busyNanos", long.class);
      TASKS = lookup.findVarHandle(WorkerTimes.class, "tasks", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int threads;
  private long busyNanos;
  private long tasks;
  private volatile String name;
  private volatile long waitingNanos;
  private volatile long startupNanos;
  private volatile long livedNanos;
  private volatile long startingSince;
  private volatile long aliveSince;
  private volatile int workers;
  private volatile long lastResidentMemory = -1;

  /** A place for workers that each run {@code threads} tasks at once. */
  public WorkerTimes(int threads) {
    this.threads = threads;
  }

  /** How many tasks each worker of this place runs at once. */
  public int threads() {
    return threads;
  }

  /** The worker {@code name} began to start at {@code now} ({@link System#nanoTime}). */
  public void starting(String name, long now) {
    this.name = name;
    this.startingSince = now;
    workers++;
  }

  /** The worker that was starting can take tasks since {@code now}. */
  public void ready(long now) {
    long since = startingSince;
    if (since != 0) {
      startupNanos += now - since;
      startingSince = 0;
    }
    aliveSince = now;
  }

  /** The worker ended at {@code now}: the place is free for a replacement. */
  public void ended(long now) {
    long since = startingSince;
    if (since != 0) {
      startupNanos += now - since;
      startingSince = 0;
    }
    long alive = aliveSince;
    if (alive != 0) {
      livedNanos += now - alive;
      aliveSince = 0;
    }
  }

  /** The worker ran a task of {@code weight} user tasks for {@code nanos}. */
  public void task(long nanos, int weight) {
    BUSY.setOpaque(this, (long) BUSY.getOpaque(this) + Math.max(0, nanos));
    TASKS.setOpaque(this, (long) TASKS.getOpaque(this) + weight);
  }

  /** The worker had nothing to run for {@code nanos} while a task waited to be dispatched to it. */
  public void waited(long nanos) {
    if (nanos > 0) {
      waitingNanos += nanos;
    }
  }

  /** The worker's resident memory was {@code bytes} as it was retired; shown once it is gone. */
  public void lastMeasured(long bytes) {
    if (bytes >= 0) {
      lastResidentMemory = bytes;
    }
  }

  /**
   * The totals as of {@code now}, with {@code residentMemory} in bytes (-1 if unknown) for the
   * worker that holds the place; where none does, the memory of the last one as it was retired.
   */
  public PoolInsights.Worker snapshot(long now, long residentMemory) {
    long memory = residentMemory >= 0 ? residentMemory : lastResidentMemory;
    long busy = (long) BUSY.getOpaque(this);
    long waiting = waitingNanos;
    long alive = aliveSince;
    long lived = livedNanos + (alive != 0 ? Math.max(0, now - alive) : 0);
    long starting = startingSince;
    long startup = startupNanos + (starting != 0 ? Math.max(0, now - starting) : 0);
    long idle = Math.max(0, lived * threads - busy - waiting);
    return new PoolInsights.Worker(
        name,
        threads,
        Duration.ofNanos(startup),
        (long) TASKS.getOpaque(this),
        Duration.ofNanos(busy),
        Duration.ofNanos(waiting),
        Duration.ofNanos(idle),
        memory < 0 ? OptionalLong.empty() : OptionalLong.of(memory),
        Math.max(0, workers - 1));
  }
}
