package io.jfutures.thread;

import io.jfutures.Action;
import io.jfutures.BrokenPoolException;
import io.jfutures.PoolInsights;
import io.jfutures.Task;
import io.jfutures.base.Backend;
import io.jfutures.base.Execution;
import io.jfutures.base.SlowestTasks;
import io.jfutures.base.Tally;
import io.jfutures.base.WorkerTimes;
import io.jfutures.jfr.TaskRan;
import io.jfutures.jfr.WorkerEnded;
import io.jfutures.jfr.WorkerStarted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on threads: a queue of pending executions and the worker threads that take from it.
 *
 * <p><b>Platform threads</b> are started lazily, one per submit that finds no idle worker, up to
 * {@code maxWorkers}; they then live until shutdown. A worker counts itself idle (puts a permit in
 * {@code idle}) as soon as its task has returned, <em>before</em> it completes the task's future,
 * so a caller woken by that future who submits again finds the worker idle; it takes the permit
 * back when it picks up its next task. A submit that can take a permit starts no thread. Permits
 * are a count, not a reservation (CPython's scheme, made exact for the sequential case): at worst
 * one outlives its idleness and delays a thread start until the next submit, and a task is never
 * stranded, since every worker keeps draining the queue. Shutdown puts a stop marker at the tail of
 * the queue; a worker that meets it puts it back and exits if nothing else is queued, so every task
 * accepted before shutdown runs first, and so does one that a racing submit queued behind it.
 *
 * <p><b>Virtual threads</b> are started per submit while fewer than {@code maxWorkers} (by default
 * unbounded) run; each takes tasks until the queue is empty, then exits. The exit re-checks the
 * queue after giving up its slot, so a task queued meanwhile is never left without a thread.
 *
 * <p>Workers are daemon threads: the pool's keep-alive thread, not its workers, holds the JVM while
 * tasks are unfinished. A worker is its tasks' {@link Execution.Stopper}: {@code cancel(true)}
 * interrupts it, and the worker clears that interrupt before its next task.
 *
 * <p><b>Insights.</b> Each thread holds a place ({@link WorkerTimes}) that a later thread takes
 * over once it has exited (virtual threads come and go with the work). A thread reads the clock at
 * the end of a task, and a task starts where the previous one ended, unless the thread waited for
 * the queue in between, when it reads the clock as it wakes. A clock read costs a few tens of
 * nanoseconds, as much as a trivial task's whole hand-off, so while tasks are short (under {@value
 * #SHORT_TASK_NANOS} ns on average) a thread reads it only once per run of up to {@value
 * #LONGEST_RUN} tasks, and whenever it finds the queue empty: busy time stays exact, counts are
 * exact once a task's future completes, a task submitted alone is timed and named alone, and a run
 * slow enough to be among the slowest tasks is kept as a run (and the next tasks are timed one by
 * one). The counters are written on every task, so each thread keeps them in a padded {@code
 * RunClock} of its own.
 *
 * <p><b>Counts.</b> For the same reason each thread counts its tasks for the pool's stats into a
 * {@link Tally} of its own rather than into shared adders; like places, the tally of a thread that
 * exited goes to the next thread started, so there are never more than the most threads at once.
 */
public final class ThreadBackend implements Backend {
  /** Tasks shorter than this on average are timed in runs rather than one by one. */
  private static final long SHORT_TASK_NANOS = 5_000;

  /** The most tasks one clock read covers. */
  private static final int LONGEST_RUN = 64;

  private final String poolName;
  private final int maxWorkers;
  private final boolean virtual;
  private final String namePrefix;
  private final Action initializer;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Object stopMarker = new Object();
  private final Semaphore idle = new Semaphore(0);
  private final AtomicInteger liveWorkers = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  /**
   * Threads that left {@code threads} as their worker ended but may still be running its last
   * instructions: {@link #awaitTermination} joins them too, and thread starts drop those gone.
   */
  private final ConcurrentLinkedQueue<Thread> exiting = new ConcurrentLinkedQueue<>();

  private final ConcurrentLinkedQueue<WorkerTimes> places = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<WorkerTimes> freePlaces = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Tally> freeTallies = new ConcurrentLinkedQueue<>();
  private final SlowestTasks slowest = new SlowestTasks();
  private volatile BrokenPoolException broken;

  /**
   * @param poolName the pool's name, for flight recordings
   * @param maxWorkers the most threads at once; {@code Integer.MAX_VALUE} for unbounded (virtual
   *     threads only)
   */
  public ThreadBackend(
      String poolName, int maxWorkers, boolean virtual, String namePrefix, Action initializer) {
    this.poolName = poolName;
    this.maxWorkers = maxWorkers;
    this.virtual = virtual;
    this.namePrefix = namePrefix;
    this.initializer = initializer;
  }

  @Override
  public void execute(Execution<?> execution) {
    // Claim an idle worker before queueing: otherwise that worker could take the task and its own
    // permit back before we look, and we would start a thread for nothing.
    boolean idleWorkerClaimed = !virtual && idle.tryAcquire();
    queue.add(execution);
    if (!idleWorkerClaimed && reserveWorker()) {
      startWorker();
    }
  }

  private boolean reserveWorker() {
    while (true) {
      int live = liveWorkers.get();
      if (live >= maxWorkers) {
        return false;
      }
      if (liveWorkers.compareAndSet(live, live + 1)) {
        return true;
      }
    }
  }

  private void startWorker() {
    exiting.removeIf(exited -> !exited.isAlive());
    String name = namePrefix + "-" + started.getAndIncrement();
    WorkerTimes place = freePlaces.poll();
    if (place == null) {
      place = new WorkerTimes(1);
      places.add(place);
    }
    place.starting(name, System.nanoTime());
    Tally tally = freeTallies.poll();
    Worker worker = new Worker(place, tally != null ? tally : new Tally());
    worker.started.begin();
    Thread thread =
        virtual
            ? Thread.ofVirtual().name(name).unstarted(worker)
            : Thread.ofPlatform().name(name).daemon(true).unstarted(worker);
    worker.thread = thread;
    threads.add(thread);
    thread.start();
  }

  @Override
  public boolean withdraw(Execution<?> execution) {
    return queue.remove(execution);
  }

  @Override
  public void shutdown() {
    queue.add(stopMarker);
  }

  @Override
  public void cancelPending() {
    List<Object> drained = new ArrayList<>();
    queue.drainTo(drained);
    for (Object item : drained) {
      if (item == stopMarker) {
        queue.add(stopMarker);
      } else {
        ((Execution<?>) item).cancel(false);
      }
    }
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    Thread self = Thread.currentThread();
    while (true) {
      Thread other = anyBut(self, threads);
      if (other == null) {
        other = anyBut(self, exiting);
      }
      if (other == null) {
        return;
      }
      other.join();
      threads.remove(other);
      exiting.remove(other);
    }
  }

  private static Thread anyBut(Thread self, Iterable<Thread> threads) {
    for (Thread t : threads) {
      if (t != self) {
        return t;
      }
    }
    return null;
  }

  @Override
  public RuntimeException brokenCause() {
    return broken;
  }

  @Override
  public int maxWorkers() {
    return maxWorkers;
  }

  @Override
  public long workersStarted() {
    return started.get();
  }

  @Override
  public long workersCrashed() {
    return 0;
  }

  /** Handing a task to a thread costs about a microsecond: a millisecond chunk hides it. */
  @Override
  public long chunkTargetNanos() {
    return 1_000_000;
  }

  @Override
  public int defaultBufferSize() {
    return (int) Math.min(4096, Math.max(4, 2L * maxWorkers));
  }

  @Override
  public PoolInsights insights(String pool, Duration elapsed) {
    long now = System.nanoTime();
    List<PoolInsights.Worker> workers = new ArrayList<>();
    for (WorkerTimes place : places) {
      workers.add(place.snapshot(now, -1));
    }
    return new PoolInsights(pool, elapsed, workers, slowest.snapshot());
  }

  /** Breaks the pool: later submits are refused, and every queued task fails with the cause. */
  private void breakPool(Throwable cause) {
    broken =
        new BrokenPoolException(
            "the pool is broken: a worker's initializer failed with " + cause, cause);
    List<Object> drained = new ArrayList<>();
    queue.drainTo(drained);
    for (Object item : drained) {
      if (item == stopMarker) {
        queue.add(stopMarker);
      } else {
        ((Execution<?>) item).completeExceptionally(broken);
      }
    }
  }

  /** Padding, so that no other object's fields share a cache line with a RunClock's. */
  @SuppressWarnings("unused")
  private static class PaddedBefore {
    long p0, p1, p2, p3, p4, p5, p6, p7;
  }

  /** The fields of a {@link RunClock}, laid out after its superclass's padding. */
  private static class RunFields extends PaddedBefore {
    /** When, as {@link System#nanoTime}, the current run of tasks began. */
    long mark;

    /** The tasks run since {@code mark}, and the user tasks they stand for. */
    int run;

    int runWeight;

    /** How many tasks the next clock read covers: 1 while tasks are long; up to LONGEST_RUN. */
    int stride = 1;
  }

  /**
   * A worker thread's timing of its current run of tasks, written on every task by that thread
   * alone. Padded on both sides (the JVM lays a superclass's fields first): two workers' state
   * written per task on one cache line would make the cores take it from each other on every task.
   */
  @SuppressWarnings("unused")
  private static final class RunClock extends RunFields {
    long q0, q1, q2, q3, q4, q5, q6, q7;

    RunClock(long now) {
      mark = now;
    }
  }

  private final class Worker implements Runnable, Execution.Stopper {
    private final WorkerTimes place;
    private final Tally tally;
    private final WorkerStarted started = new WorkerStarted();
    volatile Thread thread;

    /** This thread's timing of its runs of tasks; made by the thread itself as it starts. */
    private RunClock clock;

    Worker(WorkerTimes place, Tally tally) {
      this.place = place;
      this.tally = tally;
    }

    @Override
    public Tally tally() {
      return tally;
    }

    /** Whether this worker has a permit in {@code idle} standing for itself. */
    private boolean countedIdle;

    @Override
    public void stop(Execution<?> execution) {
      thread.interrupt();
    }

    @Override
    public void run() {
      tally.adopt();
      try {
        if (initializer != null) {
          try {
            initializer.run();
          } catch (Throwable t) {
            breakPool(t);
            liveWorkers.decrementAndGet();
            return;
          }
        }
        clock = new RunClock(System.nanoTime());
        place.ready(clock.mark);
        if (started.shouldCommit()) {
          started.pool = poolName;
          started.worker = thread.getName();
          started.commit();
        }
        if (virtual) {
          drainThenExit();
        } else {
          serveUntilStopped();
        }
      } finally {
        WorkerEnded ended = new WorkerEnded();
        if (ended.shouldCommit()) {
          ended.pool = poolName;
          ended.worker = thread.getName();
          ended.reason = broken != null ? "initializer failed" : "retired";
          ended.commit();
        }
        place.ended(System.nanoTime());
        freePlaces.add(place);
        freeTallies.add(tally);
        exiting.add(Thread.currentThread());
        threads.remove(Thread.currentThread());
      }
    }

    private void serveUntilStopped() {
      while (true) {
        Object item = queue.poll();
        if (item == null) {
          endRun(null);
          clock.stride = 1;
          markIdle();
          item = takeUninterruptibly();
          clock.mark = System.nanoTime();
        }
        if (item == stopMarker) {
          if (exitAtStop()) {
            endRun(null);
            return;
          }
          continue;
        }
        if (countedIdle) {
          countedIdle = false;
          idle.tryAcquire();
        }
        runOne((Execution<?>) item);
      }
    }

    /**
     * Reads the clock and counts the run of tasks since the last read as busy time; a run slow
     * enough is kept among the slowest tasks, by {@code last}, its last task, if known. Then sets
     * how many tasks the next read covers. (The last task is not kept in a field: a reference
     * stored into this long-lived object costs a garbage collector's barrier on every task.)
     */
    private void endRun(Task<?> last) {
      RunClock c = clock;
      int run = c.run;
      if (run == 0) {
        return;
      }
      long end = System.nanoTime();
      long span = end - c.mark;
      c.mark = end;
      place.task(span, c.runWeight);
      if (slowest.qualifies(span)) {
        slowest.offer(span, thread.getName(), last, run);
      }
      c.stride = span < run * SHORT_TASK_NANOS ? Math.min(2 * c.stride, LONGEST_RUN) : 1;
      c.run = 0;
      c.runWeight = 0;
    }

    /**
     * Counts this worker idle, unless there is queued work it is about to take: then a permit would
     * only be taken back, and under load that traffic on {@code idle} is contended.
     */
    private void markIdle() {
      if (!virtual && !countedIdle && queue.isEmpty()) {
        countedIdle = true;
        idle.release();
      }
    }

    private void drainThenExit() {
      while (true) {
        Object item = queue.poll();
        if (item == null) {
          endRun(null);
          liveWorkers.decrementAndGet();
          if (queue.isEmpty() || !reserveWorker()) {
            return;
          }
          continue;
        }
        if (item == stopMarker) {
          if (exitAtStop()) {
            return;
          }
          continue;
        }
        runOne((Execution<?>) item);
      }
    }

    /**
     * Puts the stop marker back for the other workers, and exits unless a task is still queued: a
     * submit that raced with shutdown may have queued one behind the marker.
     */
    private boolean exitAtStop() {
      boolean more = !queue.isEmpty();
      queue.add(stopMarker);
      if (more) {
        return false;
      }
      liveWorkers.decrementAndGet();
      return true;
    }

    private Object takeUninterruptibly() {
      while (true) {
        try {
          return queue.take();
        } catch (InterruptedException strayInterrupt) {
          // Only cancel(true) interrupts a worker, and only while it runs that task.
        }
      }
    }

    private <T> void runOne(Execution<T> execution) {
      if (!execution.begin(this)) {
        return;
      }
      T value = null;
      Throwable failure = null;
      Task<T> task = execution.task();
      TaskRan event = new TaskRan();
      event.begin();
      try {
        value = task.call();
      } catch (Throwable t) {
        failure = t;
      }
      RunClock c = clock;
      c.run++;
      c.runWeight += execution.weight();
      if (c.run >= c.stride || queue.isEmpty()) {
        endRun(task);
      }
      if (event.shouldCommit()) {
        event.pool = poolName;
        event.worker = thread.getName();
        event.task = SlowestTasks.describe(task);
        event.inputs = execution.weight();
        event.commit();
      }
      markIdle();
      if (failure == null) {
        execution.complete(value);
      } else {
        execution.completeExceptionally(failure);
      }
      execution.awaitStopped();
      Thread.interrupted();
    }
  }
}
