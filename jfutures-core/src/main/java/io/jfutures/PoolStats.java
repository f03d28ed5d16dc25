package io.jfutures;

/**
 * A snapshot of a pool's counters. Each input of a {@link Pool#map} counts as one task, whatever
 * chunks the pool groups it into. The counts are read one after another while the pool runs, so
 * they may be a few tasks apart from each other.
 *
 * @param submitted tasks accepted so far
 * @param completed tasks that returned a value
 * @param failed tasks that threw, timed out, or lost their worker
 * @param cancelled tasks cancelled before they finished
 * @param running tasks running now
 * @param queued tasks accepted and not yet started
 * @param workersStarted threads or processes started so far
 * @param workersCrashed worker processes that died unexpectedly (always 0 for threads)
 * @param workersRecycledForMemory worker processes replaced because they grew past {@link
 *     ProcessPool.Builder#maxWorkerMemory}, between tasks or killed during one (always 0 for
 *     threads and cluster members)
 */
public record PoolStats(
    long submitted,
    long completed,
    long failed,
    long cancelled,
    long running,
    long queued,
    long workersStarted,
    long workersCrashed,
    long workersRecycledForMemory) {
  /** The counts of a pool that recycles no worker for memory. */
  public PoolStats(
      long submitted,
      long completed,
      long failed,
      long cancelled,
      long running,
      long queued,
      long workersStarted,
      long workersCrashed) {
    this(
        submitted,
        completed,
        failed,
        cancelled,
        running,
        queued,
        workersStarted,
        workersCrashed,
        0);
  }
}
