package io.jfutures.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A main that returns without closing its pool, embedded or a client, still finishes every task,
 * then the JVM exits, although Hazelcast's threads are not daemons.
 */
class ForgetfulMainTest {
  @Test
  void everyTaskFinishesAndTheJvmExits() throws Exception {
    assertFinishesAndExits();
  }

  @Test
  void aClientThatForgetsToCloseAlsoFinishesAndExits() throws Exception {
    try (LocalCluster cluster = new LocalCluster(1)) {
      assertFinishesAndExits(cluster.name, "127.0.0.1:" + cluster.ports.get(0));
    }
  }

  private static void assertFinishesAndExits(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ForgetfulMain.class.getName());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("forgetful-main", ".log");
    try {
      Process child =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean exited = child.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(exited).as("the child JVM exited; output:%n%s", output).isTrue();
      assertThat(child.exitValue()).as(output).isZero();
      assertThat(output).contains("main returns");
      for (int i = 0; i < 6; i++) {
        assertThat(output).contains("done " + i);
      }
    } finally {
      Files.delete(log);
    }
  }
}
