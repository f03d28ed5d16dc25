package io.jfutures.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import io.jfutures.Pool;
import java.util.List;

/**
 * Shuts down a pool that started its own Hazelcast instance once the program is otherwise over.
 *
 * <p>Hazelcast's threads are not daemons, so an instance keeps its JVM alive until it is shut down:
 * a {@code main} that forgets to close its pool would never exit. This watch applies the JVM's own
 * rule with the instance's threads left out: when no live non-daemon thread is left but the
 * instance's own (and the JDK's {@code DestroyJavaVM}, which waits for the rest), it shuts the pool
 * down without waiting. Tasks still running keep the pool's keep-alive thread, a non-daemon, alive,
 * so they finish first; then the instance shuts down and the JVM exits.
 */
final class ProgramEndWatch {
  private static final long PERIOD_MILLIS = 200;

  private ProgramEndWatch() {}

  static void start(Pool pool, HazelcastInstance instance) {
    // A member named N runs threads "hz.N.*"; a client, named "hz.client_K", runs both
    // "hz.client_K.*" and "hz.hz.client_K.*".
    List<String> own = List.of("hz." + instance.getName() + ".", instance.getName() + ".");
    Thread watch =
        new Thread(
            () -> {
              while (!pool.isShutdown()) {
                try {
                  Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
                if (!anyOtherLiveNonDaemon(own)) {
                  pool.shutdown(false, false);
                  return;
                }
              }
            },
            "jfutures-cluster-program-end");
    watch.setDaemon(true);
    watch.start();
  }

  private static boolean anyOtherLiveNonDaemon(List<String> ownPrefixes) {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads;
    int n;
    do {
      threads = new Thread[2 * root.activeCount() + 16];
      n = root.enumerate(threads, true);
    } while (n == threads.length);
    for (int i = 0; i < n; i++) {
      Thread t = threads[i];
      if (t.isAlive()
          && !t.isDaemon()
          && ownPrefixes.stream().noneMatch(t.getName()::startsWith)
          && !t.getName().equals("DestroyJavaVM")) {
        return true;
      }
    }
    return false;
  }
}
