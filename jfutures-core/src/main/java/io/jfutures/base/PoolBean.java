package io.jfutures.base;

import io.jfutures.PoolMXBean;
import io.jfutures.PoolStats;
import java.lang.ref.WeakReference;
import java.util.function.ToLongFunction;

/**
 * The {@link PoolMXBean} of one pool. It holds its pool weakly, so that registering it never keeps
 * a forgotten pool alive; once the pool is gone, it reads as an empty, shut-down pool.
 */
final class PoolBean implements PoolMXBean {
  private final String name;
  private final WeakReference<PoolCore> pool;

  PoolBean(PoolCore pool) {
    this.name = pool.name();
    this.pool = new WeakReference<>(pool);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public int getMaxWorkers() {
    PoolCore core = pool.get();
    return core == null ? 0 : core.maxWorkers();
  }

  @Override
  public boolean isShutdown() {
    PoolCore core = pool.get();
    return core == null || core.isShutdown();
  }

  @Override
  public long getSubmitted() {
    return stat(PoolStats::submitted);
  }

  @Override
  public long getCompleted() {
    return stat(PoolStats::completed);
  }

  @Override
  public long getFailed() {
    return stat(PoolStats::failed);
  }

  @Override
  public long getCancelled() {
    return stat(PoolStats::cancelled);
  }

  @Override
  public long getRunning() {
    return stat(PoolStats::running);
  }

  @Override
  public long getQueued() {
    return stat(PoolStats::queued);
  }

  @Override
  public long getWorkersStarted() {
    return stat(PoolStats::workersStarted);
  }

  @Override
  public long getWorkersCrashed() {
    return stat(PoolStats::workersCrashed);
  }

  @Override
  public long getWorkersRecycledForMemory() {
    return stat(PoolStats::workersRecycledForMemory);
  }

  @Override
  public String getInsights() {
    PoolCore core = pool.get();
    return core == null ? name + " is gone" : core.insights().toString();
  }

  private long stat(ToLongFunction<PoolStats> field) {
    PoolCore core = pool.get();
    return core == null ? 0 : field.applyAsLong(core.stats());
  }
}
