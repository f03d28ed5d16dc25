package io.jfutures.hazelcast;

import io.jfutures.testing.ChildJvm;
import io.jfutures.testing.ForgetfulProgram;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A main that returns without closing its pool, embedded or a client, still finishes every task,
 * then the JVM exits, although Hazelcast's threads are not daemons.
 */
class ForgetfulMainTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @Test
  void everyTaskFinishesAndTheJvmExits() throws Exception {
    ForgetfulProgram.assertFinishedAndExited(ChildJvm.run(LIMIT, ForgetfulMain.class));
  }

  @Test
  void aClientThatForgetsToCloseAlsoFinishesAndExits() throws Exception {
    try (LocalCluster cluster = new LocalCluster(1)) {
      ForgetfulProgram.assertFinishedAndExited(
          ChildJvm.run(
              LIMIT, ForgetfulMain.class, cluster.name, "127.0.0.1:" + cluster.ports.get(0)));
    }
  }
}
