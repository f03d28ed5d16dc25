package io.jfutures.remote;

import io.jfutures.TaskTimeoutException;
import io.jfutures.WorkerCrashedException;
import java.time.Duration;

/**
 * What becomes of a job held by a worker that ended or lost it; {@link #of} is the one place that
 * decides it.
 */
enum Fate {
  /** Back to the front of the queue, as if never dispatched: its worker had not begun it. */
  REQUEUE,
  /** Back to the front of the queue, one retry used. */
  RETRY,
  /** Failed with {@link WorkerCrashedException}. */
  CRASHED,
  /** Failed with {@link TaskTimeoutException}. */
  TIMED_OUT,
  /** Nothing: it was cancelled, and its future says so. */
  DROPPED;

  /**
   * The fate of {@code job}, held by {@code seat}, whose worker ended as {@code ending} says: a job
   * the worker had not begun is requeued; the job the pool had the worker killed for times out, or
   * is dropped if it was cancelled, or runs again while it has retries left if the worker was
   * killed for its memory, and otherwise has crashed; a job hit by a kill meant for another (which
   * finished as the signal went) is requeued as if it had not begun; any other begun job runs again
   * while it has retries left, and otherwise has crashed.
   */
  static Fate of(Seat<?> seat, Job job, Ending ending, int retries) {
    if (!job.running()) {
      return REQUEUE;
    }
    if (seat.kill != null) {
      if (seat.killedFor != job) {
        return REQUEUE;
      }
      return switch (seat.kill) {
        case TIMEOUT -> TIMED_OUT;
        case CANCEL -> DROPPED;
        case MEMORY -> job.retriesUsed < retries ? RETRY : CRASHED;
      };
    }
    if (seat.retiring && ending.clean()) {
      return REQUEUE;
    }
    return job.retriesUsed < retries ? RETRY : CRASHED;
  }

  /** The exception of a job that {@link #CRASHED}: what happened, and how many times it ran. */
  static WorkerCrashedException crashed(Job job, Ending ending, int retries) {
    String runs =
        retries == 0
            ? ""
            : " (it ran " + (job.retriesUsed + 1) + " times; retries=" + retries + ")";
    return new WorkerCrashedException(ending.description() + runs, ending.cause(), ending.facts());
  }

  /** The exception of a job that {@link #TIMED_OUT} on {@code seat}. */
  static TaskTimeoutException timedOut(Seat<?> seat, Duration timeout) {
    return new TaskTimeoutException(
        "the task ran longer than " + timeout + "; " + seat.name + " was killed");
  }
}
