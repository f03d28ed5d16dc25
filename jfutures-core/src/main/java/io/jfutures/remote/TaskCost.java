package io.jfutures.remote;

/**
 * What tasks cost, as a running average of their answers' times, and so how many tasks each worker
 * holds at once: one until the first answer, so that the first tasks of a new pool spread over
 * workers as they come up rather than queue behind a slow one; two while tasks are slow, so that a
 * worker begins its next task without waiting for a round trip; up to {@value #MAX_DEPTH} once they
 * prove short (under {@value #SHORT_TASK_NANOS} ns), so that a run of tiny tasks is not paid for in
 * round trips. Guarded by its dispatcher's lock.
 */
final class TaskCost {
  static final long SHORT_TASK_NANOS = 1_000_000;
  static final int MAX_DEPTH = 16;

  private double averageNanos = Double.NaN;

  /** A task took {@code nanos}; a negative number means unknown, and counts for nothing. */
  void observe(long nanos) {
    if (nanos >= 0) {
      averageNanos = Double.isNaN(averageNanos) ? nanos : 0.8 * averageNanos + 0.2 * nanos;
    }
  }

  /** How many tasks each worker may hold now. */
  int depth() {
    return Double.isNaN(averageNanos) ? 1 : averageNanos < SHORT_TASK_NANOS ? MAX_DEPTH : 2;
  }

  /**
   * How many tasks may travel in one request ({@link Transport#send}): half the depth once tasks
   * prove short, so that each of a worker's threads holds a bundle that runs and another that waits
   * for it, as each holds two tasks while they are slow; one otherwise.
   */
  int bundle() {
    return depth() == MAX_DEPTH ? MAX_DEPTH / 2 : 1;
  }
}
