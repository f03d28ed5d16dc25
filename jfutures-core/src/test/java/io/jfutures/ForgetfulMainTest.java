package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A main that returns without closing its pool still finishes every task, then the JVM exits. */
class ForgetfulMainTest {
  @ParameterizedTest
  @ValueSource(strings = {"platform", "virtual", "process"})
  void everyTaskFinishesAndTheJvmExits(String kind) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(childClassPath());
    command.add(ForgetfulMain.class.getName());
    command.add(kind);
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

  /** The test's class path, plus the module path that Surefire puts the main classes on. */
  static String childClassPath() {
    String classPath = System.getProperty("java.class.path", "");
    String modulePath = System.getProperty("jdk.module.path");
    return modulePath == null ? classPath : modulePath + File.pathSeparator + classPath;
  }
}
