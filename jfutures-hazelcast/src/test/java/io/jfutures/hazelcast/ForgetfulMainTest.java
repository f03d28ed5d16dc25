package io.jfutures.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A main that returns without closing its embedded pool still finishes every task, then the JVM
 * exits, although Hazelcast's threads are not daemons.
 */
class ForgetfulMainTest {
  @Test
  void everyTaskFinishesAndTheJvmExits() throws Exception {
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "-cp",
            System.getProperty("java.class.path"),
            ForgetfulMain.class.getName());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean exited = child.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      child.destroyForcibly();
    }
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exited).as("the child JVM exited; output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("main returns");
    for (int i = 0; i < 6; i++) {
      assertThat(output).contains("done " + i);
    }
  }
}
