package io.jfutures;

/**
 * A pool as JDK Mission Control, VisualVM and JConsole show it: its {@link PoolStats} and {@link
 * PoolInsights}, read-only. Every pool is registered under {@code io.jfutures:type=Pool,name=<its
 * name>} (a second pool of the same name gets {@code #2} and so on) from when it is made until it
 * is shut down: at once where JMX already runs in the JVM, else within a second of JMX starting (a
 * tool attaching, or anything asking for the platform MBean server), so that a pool alone never
 * pays for starting JMX.
 */
public interface PoolMXBean {
  /** The pool's name, as in its thread and worker names. */
  String getName();

  /** The most workers it runs at once. */
  int getMaxWorkers();

  boolean isShutdown();

  long getSubmitted();

  long getCompleted();

  long getFailed();

  long getCancelled();

  long getRunning();

  long getQueued();

  long getWorkersStarted();

  long getWorkersCrashed();

  long getWorkersRecycledForMemory();

  /** {@link Pool#insights()} as its table. */
  String getInsights();
}
