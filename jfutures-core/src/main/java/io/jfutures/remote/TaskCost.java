package io.jfutures.remote;

/**
 * What tasks cost, as a running average of their answers' times, and so how many tasks each worker
 * holds at once: one until the first answer, so that the first tasks of a new pool spread over
 * workers as they come up rather than queue behind a slow one; two while tasks are slow, so that a
 * worker begins its next task without waiting for a round trip; {@value #SHORT_TASK_DEPTH} once
 * they prove short (under {@value #SHORT_TASK_NANOS} ns), so that a run of tiny tasks is not paid
 * for in round trips.
 *
 * <p>Where the transport reports a round trip of {@value #FAR_TRIP_NANOS} ns or more, a worker that
 * far away holds more: enough to cover it (one task running, and as many behind it as run in one
 * round trip, the bandwidth-delay product), up to {@value #MAX_DEPTH}. A shorter round trip, as
 * between processes on one machine, is mostly the two ends' own work on each message, which a
 * deeper queue does not hide: there a client with more requests in flight only sent them slower.
 * The round trip counted is the least seen of an answer's time from sending to answer less the
 * task's own run: a task that waited at its worker behind others only adds to that, so the least is
 * the link's own, and a deeper queue cannot feed on itself.
 *
 * <p>Guarded by its dispatcher's lock.
 */
final class TaskCost {
  static final long SHORT_TASK_NANOS = 1_000_000;
  static final int SHORT_TASK_DEPTH = 16;
  static final int MAX_DEPTH = 256;
  static final long FAR_TRIP_NANOS = 500_000;

  private double averageNanos = Double.NaN;
  private long roundTripNanos = Long.MAX_VALUE;

  /**
   * A task took {@code nanos} to run, and its answer came {@code tripNanos} after it was sent; a
   * negative number means unknown, and counts for nothing.
   */
  void observe(long nanos, long tripNanos) {
    if (nanos < 0) {
      return;
    }
    averageNanos = Double.isNaN(averageNanos) ? nanos : 0.8 * averageNanos + 0.2 * nanos;
    if (tripNanos >= nanos) {
      roundTripNanos = Math.min(roundTripNanos, tripNanos - nanos);
    }
  }

  /** How many tasks each worker may hold now. */
  int depth() {
    if (Double.isNaN(averageNanos)) {
      return 1;
    }
    int depth = averageNanos < SHORT_TASK_NANOS ? SHORT_TASK_DEPTH : 2;
    if (roundTripNanos < FAR_TRIP_NANOS || roundTripNanos == Long.MAX_VALUE) {
      return depth;
    }
    double cover = 1 + Math.ceil(roundTripNanos / Math.max(averageNanos, 1));
    return (int) Math.min(MAX_DEPTH, Math.max(depth, cover));
  }

  /**
   * How many tasks may travel in one request ({@link Transport#send}): half the depth once tasks
   * prove short, so that each of a worker's threads holds a bundle that runs and another that waits
   * for it, as each holds two tasks while they are slow; one otherwise.
   */
  int bundle() {
    return averageNanos < SHORT_TASK_NANOS ? Math.max(1, depth() / 2) : 1;
  }
}
