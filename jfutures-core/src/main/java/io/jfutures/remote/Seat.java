package io.jfutures.remote;

import io.jfutures.base.WorkerTimes;
import io.jfutures.jfr.WorkerStarted;
import java.util.ArrayList;
import java.util.List;

/**
 * The dispatcher's record of one place that runs tasks: a worker process, or a cluster member with
 * several worker threads. Its fields, other than the final ones and {@link #link}, are guarded by
 * the lock of the {@link Dispatcher} that made it.
 *
 * <p>A seat holds the jobs dispatched to it and not yet answered, up to {@code workers} times the
 * dispatcher's depth; a worker runs them in the order sent, several at once where it has several
 * workers.
 *
 * @param <L> the transport's handle on the worker behind the seat
 */
public final class Seat<L> {
  final int number;
  final String name;
  final int workers;

  /** Whether the worker came by itself (a cluster member) rather than the dispatcher opening it. */
  final boolean joined;

  private volatile L link;

  final List<Job> held = new ArrayList<>();
  List<Dispatch> outbox;
  boolean ready;
  boolean retiring;

  /** It takes nothing more, and is retired once it holds nothing: it grew past a memory limit. */
  boolean draining;

  int sent;

  /** Until when, as {@link System#nanoTime}, the seat takes nothing; 0 when it is not paused. */
  long pausedUntil;

  Kill kill;
  Job killedFor;

  /** The totals of the place this seat's worker holds, shared with the workers it replaced. */
  WorkerTimes times;

  /** Since when, as {@link System#nanoTime}, the seat has held nothing; valid once ready. */
  long freeSince;

  /** Its flight-recorder event, begun as it opened; null unless one is recorded. */
  WorkerStarted started;

  Seat(int number, String name, int workers, L link, boolean joined) {
    this.number = number;
    this.name = name;
    this.workers = workers;
    this.link = link;
    this.joined = joined;
  }

  /** Why the dispatcher had a worker killed. */
  enum Kill {
    TIMEOUT,
    CANCEL,
    MEMORY
  }

  /** Counts from 0 in the order the dispatcher opened seats; distinct within one dispatcher. */
  public int number() {
    return number;
  }

  /** The worker's name in messages: {@code Pool-1-worker-0}, or a member's address. */
  public String name() {
    return name;
  }

  public L link() {
    return link;
  }

  /** Sets the transport's handle on the worker, before the transport reports it ready. */
  public void attach(L link) {
    this.link = link;
  }

  /** How many more jobs this seat may take now. */
  int free(int depth, int maxTasks) {
    if (!ready || retiring || draining || kill != null) {
      return 0;
    }
    if (pausedUntil != 0) {
      if (System.nanoTime() - pausedUntil < 0) {
        return 0;
      }
      pausedUntil = 0;
    }
    int room = maxTasks <= 0 ? Integer.MAX_VALUE : maxTasks - sent;
    return Math.min(workers * depth - held.size(), room);
  }

  /** Whether this seat has taken all the tasks {@code maxTasks} lets it take. */
  boolean spent(int maxTasks) {
    return maxTasks > 0 && sent >= maxTasks;
  }

  @Override
  public String toString() {
    return name;
  }
}
