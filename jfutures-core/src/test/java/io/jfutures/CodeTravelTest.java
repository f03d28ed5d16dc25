package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.testing.ChildJvm;
import io.jfutures.travel.CodeTravelMain;
import io.jfutures.travel.plugin.BrokenTask;
import io.jfutures.travel.plugin.PluginResult;
import io.jfutures.travel.plugin.PluginTask;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code travels: a task whose classes only a class loader of the program's own can find (an IDE, a
 * plugin system, {@code mvn exec:java}) runs in a worker, which asks the pool for each class and
 * resource it lacks. Real processes: the program is a child JVM whose class path holds jfutures and
 * its own main class only; the plugin's classes are in a folder no class path names.
 */
class CodeTravelTest {
  @Test
  void
      aTaskFromALoaderOffEveryClassPathRunsInAWorkerNeverMixedWithARebuiltOneAndAMissingClassFailsAlone(
          @TempDir Path dir) throws Exception {
    Path launcher = dir.resolve("launcher");
    Path plugin = dir.resolve("plugin");
    copyClass(CodeTravelMain.class, launcher);
    copyClass(PluginTask.class, plugin);
    copyClass(PluginResult.class, plugin);
    copyClass(BrokenTask.class, plugin);
    Path resource = plugin.resolve("io/jfutures/travel/plugin/greeting.txt");
    Files.writeString(resource, "hello from the plugin's folder");

    Path rebuilt = dir.resolve("rebuilt");
    copyClass(PluginTask.class, rebuilt);
    copyClass(PluginResult.class, rebuilt);
    Files.writeString(
        rebuilt.resolve("io/jfutures/travel/plugin/greeting.txt"), "hello from the rebuilt plugin");

    String classPath = ownLocation() + java.io.File.pathSeparator + launcher;
    ChildJvm.Run run =
        ChildJvm.run(
            Duration.ofSeconds(60),
            classPath,
            CodeTravelMain.class,
            plugin.toString(),
            rebuilt.toString());

    assertThat(run.exited()).as(run.output()).isTrue();
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains(
            "result: PluginResult[loader=jfutures-pool-loader-",
            "greeting=hello from the plugin's folder, answer=42]",
            "result class loader: plugin",
            "again: PluginResult[")
        .contains("io.jfutures.travel.plugin.Missing is not on the worker's class path")
        .contains("class loader 'plugin'")
        .contains("rebuilt: PluginResult[loader=jfutures-pool-loader-")
        .contains("greeting=hello from the rebuilt plugin")
        .containsPattern("old again: PluginResult\\[[^\\]]*greeting=hello from the plugin's folder")
        .contains("workers crashed: 0")
        .doesNotContain("out of memory");
  }

  /** The folder or jar that holds jfutures' own classes in this build. */
  private static Path ownLocation() throws Exception {
    return Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static void copyClass(Class<?> type, Path root) throws IOException {
    String name = type.getName().replace('.', '/') + ".class";
    Path target = root.resolve(name);
    Files.createDirectories(target.getParent());
    try (InputStream in = type.getResourceAsStream("/" + name)) {
      Files.copy(in, target);
    }
  }
}
