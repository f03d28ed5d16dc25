package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * What a crashed worker's exception tells, for real crashes: an exit with a code after some words
 * on stderr, and the JVM itself crashing in native code, which leaves a fatal error log.
 */
class CrashReportsTest {
  @Test
  void anExitTellsItsCodeAndTheLastLinesOnStderr() {
    try (ProcessPool pool = ProcessPool.create(1)) {
      TaskFuture<Integer> task =
          pool.submit(
              () -> {
                System.err.println("about to leave");
                System.err.flush();
                Runtime.getRuntime().halt(3);
                return 0;
              });
      WorkerCrashedException crash = (WorkerCrashedException) task.exception();
      assertThat(crash.exitCode()).hasValue(3);
      assertThat(crash.signal()).isEmpty();
      assertThat(crash.stderrTail()).contains("about to leave");
      assertThat(crash).hasMessageContaining("exited with code 3");
    }
  }

  @Test
  void aNativeCrashOfTheWorkersJvmNamesItsFatalErrorLogAndTheFrame() throws Exception {
    try (ProcessPool pool =
        ProcessPool.builder()
            .maxWorkers(1)
            .jvmOptions("-XX:-CreateCoredumpOnCrash", "--sun-misc-unsafe-memory-access=allow")
            .build()) {
      TaskFuture<Integer> task =
          pool.submit(
              () -> {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                Object unsafe = theUnsafe.get(null);
                unsafeClass.getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 0L);
                return 0;
              });
      WorkerCrashedException crash = (WorkerCrashedException) task.exception();
      // Without a core dump the crashing JVM exits with 1 rather than abort with SIGABRT.
      assertThat(crash.exitCode()).as(crash.getMessage()).isPresent();
      assertThat(crash.fatalErrorLog()).as(crash.getMessage()).isPresent();
      assertThat(Files.readString(crash.fatalErrorLog().orElseThrow()))
          .contains("A fatal error has been detected by the Java Runtime Environment");
      assertThat(crash.fatalErrorSummary()).as(crash.getMessage()).isPresent();
      assertThat(crash)
          .hasMessageContaining("the JVM crashed in " + crash.fatalErrorSummary().orElseThrow())
          .hasMessageContaining(crash.fatalErrorLog().orElseThrow().toString());
      Files.deleteIfExists(crash.fatalErrorLog().orElseThrow());
      assertThat(pool.submit(() -> 2).result()).isEqualTo(2);
    }
  }
}
