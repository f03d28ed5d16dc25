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
 * thread for every callback, as {@code CompletableFuture} itself does; each executor call completes
 * through two such callbacks. {@link #install} replaces that thread-per-callback executor with a
 * cached pool of daemon threads, which keeps its semantics (a callback never waits in a queue; a
 * thread starts when none is idle) but reuses idle threads. The executor is Hazelcast's, for the
 * whole JVM, so only pools that start their own instance install it, and they log it at DEBUG; it
 * changes nothing where Hazelcast already uses the common pool, nothing twice, and nothing when the
 * system property {@value #OPT_OUT} is {@code false}. The hook is Hazelcast's internal API: with a
 * Hazelcast that lacks it, the pool keeps Hazelcast's executor and says so in its log.
 */
final class CompletionThreads {
  static final String OPT_OUT = "jfutures.hazelcast.completionThreads";
  private static final System.Logger LOG = System.getLogger("io.jfutures");
  private static boolean installed;

  private CompletionThreads() {}

  /** Before the first Hazelcast instance of the JVM starts, so that its threads see it. */
  static synchronized void install() {
    if (installed
        || ForkJoinPool.getCommonPoolParallelism() > 1
        || "false".equalsIgnoreCase(System.getProperty(OPT_OUT))) {
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
      LOG.log(
          System.Logger.Level.DEBUG,
          "the JDK''s common pool has no parallelism here, so Hazelcast would start a thread for"
              + " every completion callback: it now has a cached pool of daemon threads for them,"
              + " for this JVM (-D{0}=false leaves Hazelcast''s own)",
          OPT_OUT);
    } catch (LinkageError otherHazelcast) {
      // A Hazelcast other than the one this module was built against, without this internal hook:
      // the pool still works, with a thread per callback.
      LOG.log(
          System.Logger.Level.INFO,
          "this Hazelcast has no ConcurrencyUtil.setDefaultAsyncExecutor; where the common pool"
              + " has no parallelism it starts a thread per completion callback: {0}",
          otherHazelcast.toString());
    }
  }
}
