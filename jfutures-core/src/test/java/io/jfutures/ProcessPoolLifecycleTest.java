package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcessPool's life around its workers: chaos, orphans, and how the parent JVM was started. */
class ProcessPoolLifecycleTest {
  private static String java() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  @Test
  void chaosEveryFutureResolvesAndThePoolStillServes() throws Exception {
    try (ProcessPool pool = ProcessPool.create(2)) {
      List<TaskFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        int x = i;
        futures.add(
            pool.submit(
                () -> {
                  Thread.sleep(1);
                  return x;
                }));
      }
      long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      int kills = 0;
      while (System.nanoTime() < end) {
        List<ProcessHandle> workers = ProcessHandle.current().children().toList();
        if (!workers.isEmpty()) {
          workers.get(ThreadLocalRandom.current().nextInt(workers.size())).destroyForcibly();
          kills++;
        }
        Thread.sleep(100);
      }
      int values = 0;
      int crashed = 0;
      for (int i = 0; i < futures.size(); i++) {
        TaskFuture<Integer> f = futures.get(i);
        Throwable failure = f.exception(Duration.ofMinutes(2));
        if (failure == null) {
          assertThat(f.result()).isEqualTo(i);
          values++;
        } else {
          assertThat(failure).isInstanceOf(WorkerCrashedException.class);
          crashed++;
        }
      }
      assertThat(values + crashed).isEqualTo(2_000);
      assertThat(kills).isPositive();
      assertThat(crashed).isLessThanOrEqualTo(kills);
      assertThat(pool.submit(() -> "served after chaos").result()).isEqualTo("served after chaos");
    }
  }

  @Test
  void workersExitWhenTheParentIsKilledMinus9() throws Exception {
    Process parent =
        new ProcessBuilder(java(), "-cp", ChildJvm.classPath(), OrphanMain.class.getName())
            .redirectErrorStream(true)
            .start();
    long workerPid;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      // Read on another thread, so that a child that never answers fails the test, not hangs it.
      String line =
          java.util.concurrent.CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      String next;
                      do {
                        next = out.readLine();
                      } while (next != null && !next.startsWith("worker "));
                      return next;
                    } catch (java.io.IOException e) {
                      return null;
                    }
                  })
              .get(60, TimeUnit.SECONDS);
      assertThat(line).as("the child printed its worker's pid").isNotNull();
      workerPid = Long.parseLong(line.substring("worker ".length()).trim());
      Optional<ProcessHandle> worker = ProcessHandle.of(workerPid);
      assertThat(worker).isPresent();
      parent.destroyForcibly();
      parent.waitFor();
      boolean exited =
          worker.get().onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null;
      assertThat(exited || !worker.get().isAlive()).as("worker %d exited", workerPid).isTrue();
    } finally {
      ProcessHandle.of(parent.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aPoolWorksWhenTheParentRunsAsJavaDashJar(@TempDir Path dir) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ForgetfulMain.class.getName());
    StringBuilder classPath = new StringBuilder();
    for (String entry : ChildJvm.classPath().split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      classPath.append(p.toUri().toURL().toExternalForm()).append(' ');
    }
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
    Path jar = dir.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      // the manifest is the whole application: it points at the classes
    }
    Process child =
        new ProcessBuilder(java(), "-jar", jar.toString(), "process")
            .redirectErrorStream(true)
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(output).isZero();
    for (int i = 0; i < 6; i++) {
      assertThat(output).contains("done " + i);
    }
  }
}
