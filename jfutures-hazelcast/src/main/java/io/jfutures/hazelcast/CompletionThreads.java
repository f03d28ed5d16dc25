package io.jfutures.hazelcast;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives Hazelcast reusable threads for its completion callbacks on small machines.
 *
 * <p>Hazelcast completes the futures of remote calls on its default async executor: the JDK's
 * common pool, or, where that pool has no parallelism (machines with one or two processors), a new
 * thread for every callback, as {@code CompletableFuture} itself does. Each executor call completes
 * through two such callbacks, so on a two-core machine every task started two threads and the pool
 * ran about 2,000 trivial tasks a second instead of 25,000. {@link #install} replaces that
 * thread-per-callback executor with a cached pool of daemon threads, which keeps its semantics (a
 * callback never waits in a queue; a thread starts when none is idle) but reuses idle threads. It
 * changes nothing where Hazelcast already uses the common pool, and nothing twice. The hook is
 * Hazelcast's internal API: with a Hazelcast that lacks it, the pool works as before and says so in
 * its log.
 */
final class CompletionThreads {
  private static boolean installed;

  private CompletionThreads() {}

  /** Before the first Hazelcast instance of the JVM starts, so that its threads see it. */
  static synchronized void install() {
    if (installed || ForkJoinPool.getCommonPoolParallelism() > 1) {
      return;
    }
    installed = true;
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread thread = new Thread(r, "jfutures-hazelcast-async-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      ConcurrencyUtil.setDefaultAsyncExecutor(threads);
    } catch (LinkageError otherHazelcast) {
      // A Hazelcast other than the one this module was built against, without this internal hook:
      // the pool still works, with a thread per callback.
      System.getLogger("io.jfutures")
          .log(
              System.Logger.Level.INFO,
              "this Hazelcast has no ConcurrencyUtil.setDefaultAsyncExecutor; on this machine it"
                  + " starts a thread per completion callback: {0}",
              otherHazelcast.toString());
    }
  }
}
