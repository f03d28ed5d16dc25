package io.jfutures.remote;

import io.jfutures.base.Execution;

/**
 * One task of the pool across its dispatches: its future, its encoded bytes, and where it is.
 * Fields other than the final ones and {@link #startedAt} are guarded by the dispatcher's lock.
 * Invariant: a job not yet settled is in the dispatcher's queue or in exactly one seat's {@code
 * held} list, never both; every path that takes it out of one puts it in the other or settles it.
 */
final class Job {
  final Execution<?> execution;
  final byte[] payload;

  /** The class loader that defined the task (a map chunk's function), which can serve its code. */
  final ClassLoader loader;

  boolean begun;
  int retriesUsed;
  Seat<?> seat;

  /** Its dispatch to {@code seat}; null while queued. Answers to any other are ignored. */
  Dispatch current;

  /**
   * When its worker began it, as {@link System#nanoTime}; 0 while it waits. Written by the
   * transport's threads, read by the dispatcher and its watchdog.
   */
  volatile long startedAt;

  Job(Execution<?> execution, byte[] payload, ClassLoader loader) {
    this.execution = execution;
    this.payload = payload;
    this.loader = loader;
  }

  boolean running() {
    return startedAt != 0;
  }
}
