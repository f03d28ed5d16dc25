package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfutures.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's processes end with its worker, a grandchild that detached into a session of its own
 * included: a {@code sleep} double-forked through {@code setsid}, after a timeout, {@code
 * cancel(true)}, a memory kill, {@code close()} and the pool's JVM killed. Real processes, on
 * Linux.
 */
class ProcessTreeTest {
  /** A task that starts a detached {@code sleep}, writes its pid to {@code pidFile}, then waits. */
  static Task<String> detachAndWait(String pidFile, long waitMillis) {
    return () -> {
      Process shell =
          new ProcessBuilder(
                  "sh", "-c", "(setsid sleep 600 >/dev/null 2>&1 & echo $! > " + pidFile + ")")
              .start();
      shell.waitFor();
      Thread.sleep(waitMillis);
      return "done";
    };
  }

  private static long detachedPid(Path pidFile) throws Exception {
    return Long.parseLong(ProcessPoolTest.awaitFile(pidFile));
  }

  private static void assertGone(long pid) throws Exception {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isPresent()) {
      handle.get().onExit().get(30, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("the detached sleep %d is gone", pid)
        .isFalse();
  }

  private static void assumeLinuxWithSetsid() {
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "needs setsid");
  }

  @Test
  void cancelTrueKillsTheWorkerAndTheDetachedGrandchildItStarted(@TempDir Path dir)
      throws Exception {
    assumeLinuxWithSetsid();
    Path pidFile = dir.resolve("pid");
    try (ProcessPool pool = ProcessPool.create(1)) {
      TaskFuture<String> task = pool.submit(detachAndWait(pidFile.toString(), 600_000));
      long pid = detachedPid(pidFile);
      assertThat(ProcessHandle.of(pid)).isPresent();
      assertThat(task.cancel(true)).isTrue();
      assertGone(pid);
    }
  }

  @Test
  void aTimeoutKillsTheDetachedGrandchildToo(@TempDir Path dir) throws Exception {
    assumeLinuxWithSetsid();
    Path pidFile = dir.resolve("pid");
    try (ProcessPool pool =
        ProcessPool.builder().maxWorkers(1).taskTimeout(Duration.ofSeconds(2)).build()) {
      TaskFuture<String> task = pool.submit(detachAndWait(pidFile.toString(), 600_000));
      long pid = detachedPid(pidFile);
      assertThat(task.exception()).isInstanceOf(TaskTimeoutException.class);
      assertGone(pid);
    }
  }

  @Test
  void aWorkerKilledForItsMemoryTakesTheDetachedGrandchildWithIt(@TempDir Path dir)
      throws Exception {
    assumeLinuxWithSetsid();
    Path pidFile = dir.resolve("pid");
    String pidName = pidFile.toString();
    try (ProcessPool pool =
        ProcessPool.builder().maxWorkers(1).maxWorkerMemory(300L << 20).build()) {
      TaskFuture<String> task =
          pool.submit(
              () -> {
                detachAndWait(pidName, 0).call();
                return MemoryHog.growWithoutEnd(8L << 30);
              });
      long pid = detachedPid(pidFile);
      assertThat(task.exception()).isInstanceOf(WorkerCrashedException.class);
      assertGone(pid);
    }
  }

  @Test
  void theDetachedGrandchildEndsWhenThePoolsJvmIsKilledMinus9(@TempDir Path dir) throws Exception {
    assumeLinuxWithSetsid();
    Path pidFile = dir.resolve("pid");
    Process parent =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                ChildJvm.classPath(),
                TreeOrphanMain.class.getName(),
                pidFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("parent.log").toFile())
            .start();
    try {
      long pid = detachedPid(pidFile);
      assertThat(ProcessHandle.of(pid)).isPresent();
      parent.destroyForcibly();
      parent.waitFor();
      assertGone(pid);
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void closingThePoolEndsWhatItsTasksLeftRunning(@TempDir Path dir) throws Exception {
    assumeLinuxWithSetsid();
    Path pidFile = dir.resolve("pid");
    long pid;
    try (ProcessPool pool = ProcessPool.create(1)) {
      assertThat(pool.submit(detachAndWait(pidFile.toString(), 0)).result()).isEqualTo("done");
      pid = detachedPid(pidFile);
      assertThat(ProcessHandle.of(pid)).isPresent();
    }
    assertGone(pid);
  }
}
