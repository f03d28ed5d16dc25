package io.jfutures.base;

import io.jfutures.PoolInsights;
import java.time.Duration;

/**
 * What runs a pool's tasks: threads, worker processes or cluster members. {@link PoolCore} holds
 * everything the pools share (futures, counts, map, shutdown order) and asks its back end only to
 * run {@link Execution}s and manage workers.
 *
 * <p>A back end must bring every execution it accepts to an end: it {@linkplain Execution#begin
 * begins} it and completes it, or completes it without running it (cancelled, broken pool, crashed
 * worker). It must never block in {@link #execute}.
 */
public interface Backend {
  /** Accepts one task. May race with {@link #shutdown}; see {@link #withdraw}. */
  void execute(Execution<?> execution);

  /**
   * Takes back a task that {@link #execute} accepted while shutdown was under way. Returns false if
   * a worker has it already: then it must run. A back end's workers must not exit while a task is
   * queued, so that a task that cannot be withdrawn is never stranded.
   */
  boolean withdraw(Execution<?> execution);

  /** No more tasks will come; let the workers exit once the accepted ones are done. Called once. */
  void shutdown();

  /** Cancels every accepted task that has not started. */
  void cancelPending();

  /**
   * Waits until every worker has exited (except the calling thread, if it is one of them).
   *
   * @throws InterruptedException if interrupted while waiting
   */
  void awaitTermination() throws InterruptedException;

  /**
   * Whether tasks are encoded to run elsewhere (worker processes, cluster members): then a task
   * that cannot travel fails its own future as it is submitted, with the {@link
   * java.io.IOException} that names what could not be encoded.
   */
  default boolean tasksTravel() {
    return false;
  }

  /** Null while the pool works; once it is broken, what broke it, thrown by every later submit. */
  RuntimeException brokenCause();

  int maxWorkers();

  long workersStarted();

  long workersCrashed();

  /** Workers replaced because they grew past the pool's memory limit. */
  default long workersRecycledForMemory() {
    return 0;
  }

  /** Where the time of the pool named {@code pool}, which has existed for {@code elapsed}, went. */
  PoolInsights insights(String pool, Duration elapsed);

  /**
   * How long an automatically sized map chunk should run: long enough that the cost of handing a
   * chunk to a worker is small beside it.
   */
  long chunkTargetNanos();

  /** How many map chunks may be in flight when the options do not say. */
  int defaultBufferSize();
}
