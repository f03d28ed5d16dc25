package io.jfutures.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sentence a dead worker leaves in its tasks' exceptions. */
class CrashReportTest {
  /** The sentence for a worker that ended with {@code exit}, no fatal error log known. */
  private static String describe(CrashReport report, long pid, int exit, String stray) {
    return report.describe(pid, report.facts(pid, exit, null), stray);
  }

  @Test
  void aSignalIsNamedAndTheLastStderrLinesAreQuoted() {
    CrashReport report = new CrashReport("Pool-1-worker-0");
    for (int i = 1; i <= 7; i++) {
      report.stderrLine("line " + i);
    }
    String sentence = describe(report, 4242, 137, null);
    assertThat(sentence)
        .startsWith("Pool-1-worker-0 (pid 4242) was killed by signal 9 (SIGKILL)")
        .contains("line 3", "line 7")
        .doesNotContain("line 2");
  }

  @Test
  void anExitCodeIsGivenAsSuch() {
    assertThat(describe(new CrashReport("w"), 1, 3, null))
        .isEqualTo("w (pid 1) exited with code 3");
  }

  @Test
  void anOutOfMemoryErrorOnStderrIsNamed() {
    CrashReport report = new CrashReport("w");
    report.stderrLine("Terminating due to java.lang.OutOfMemoryError: Java heap space");
    assertThat(describe(report, 1, 3, null))
        .contains(
            ": out of memory (Terminating due to java.lang.OutOfMemoryError: Java heap space)");
  }

  @Test
  void theJdksEchoOfJavaToolOptionsIsNotMistakenForOutOfMemory() {
    CrashReport report = new CrashReport("w");
    report.stderrLine("Picked up JAVA_TOOL_OPTIONS: -XX:+ExitOnOutOfMemoryError");
    report.stderrLine("Error: Could not find or load main class io.jfutures.process.WorkerMain");
    assertThat(describe(report, 1, 1, null))
        .doesNotContain("out of memory")
        .contains("Could not find or load main class");
  }

  @Test
  void whatTheWorkerWroteOnItsStdoutIsAdded() {
    assertThat(describe(new CrashReport("w"), -1, 134, "'# A fatal error'"))
        .isEqualTo("w was killed by signal 6 (SIGABRT); it wrote to its stdout '# A fatal error'");
  }

  @Test
  void theErrorFolderKeepsOnlyTheNewestFatalErrorLogs(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    for (int i = 0; i < 30; i++) {
      Path log = Files.writeString(dir.resolve("hs_err_pid" + (1000 + i) + ".log"), "log " + i);
      Files.setLastModifiedTime(log, FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    Path other = Files.writeString(dir.resolve("worker.jsa"), "not a log");
    Path justReported = dir.resolve("hs_err_pid1000.log");

    CrashReport.pruneLogs(dir, justReported);

    try (Stream<Path> left = Files.list(dir)) {
      List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).hasSize(CrashReport.LOGS_KEPT + 1);
      assertThat(names).contains("hs_err_pid1000.log", "hs_err_pid1029.log", "worker.jsa");
      assertThat(names).doesNotContain("hs_err_pid1001.log", "hs_err_pid1010.log");
    }
    assertThat(other).exists();
  }
}
