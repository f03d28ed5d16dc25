package io.jfutures.process;

import io.jfutures.WorkerCrashedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the pool knows of a worker's death, for the exceptions of the tasks it took down: its name
 * and pid, its exit code or signal, the JVM's fatal error log and the frame it names, and its last
 * stderr lines; as facts one by one, and as one sentence. It keeps the last {@value #TAIL_LINES}
 * lines the worker wrote to stderr; the stderr pump adds them, the reader thread asks for the
 * sentence, so the tail is guarded by its own monitor. When the pool kills the worker for its
 * memory, the report says so, with how much the worker had.
 */
final class CrashReport {
  private static final int TAIL_LINES = 20;

  /** How many fatal error logs the error folder keeps: the newest. */
  static final int LOGS_KEPT = 20;

  private final String worker;
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private volatile long residentMemory = -1;
  private volatile long memoryKillThreshold;

  CrashReport(String worker) {
    this.worker = worker;
  }

  synchronized void stderrLine(String line) {
    tail.addLast(line);
    if (tail.size() > TAIL_LINES) {
      tail.removeFirst();
    }
  }

  /** The worker's resident memory was measured at {@code bytes}. */
  void measured(long bytes) {
    residentMemory = bytes;
  }

  /**
   * The pool is killing the worker because its resident memory, {@code bytes}, passed {@code
   * threshold}.
   */
  void killedForMemory(long bytes, long threshold) {
    residentMemory = bytes;
    memoryKillThreshold = threshold;
  }

  /**
   * What is known of the end of a worker with process id {@code pid} (or -1) that ended with {@code
   * exit} (128 + n for signal n, as a shell says); {@code errorFolder}, if not null, is where its
   * JVM writes a fatal error log.
   */
  WorkerCrashedException.Facts facts(long pid, int exit, Path errorFolder) {
    List<String> lines;
    synchronized (this) {
      lines = new ArrayList<>(tail);
    }
    String signal = exit > 128 && exit <= 128 + 64 ? signalName(exit - 128) : null;
    Path log = null;
    String summary = null;
    if (errorFolder != null && pid >= 0) {
      Path candidate = errorFolder.resolve("hs_err_pid" + pid + ".log");
      if (Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
        log = candidate;
        summary = problematicFrame(candidate);
        pruneLogs(errorFolder, candidate);
      }
    }
    return new WorkerCrashedException.Facts(
        worker,
        exit >= 0 ? exit : null,
        signal,
        log,
        summary,
        lines,
        memoryKillThreshold > 0 ? WorkerCrashedException.Limit.MEMORY : null,
        residentMemory);
  }

  /**
   * The sentence for a worker with process id {@code pid} (or -1) whose end {@code facts} tell;
   * {@code stray}, if not null, is what it wrote to its stdout out of protocol.
   */
  String describe(long pid, WorkerCrashedException.Facts facts, String stray) {
    StringBuilder s = new StringBuilder(worker);
    if (pid >= 0) {
      s.append(" (pid ").append(pid).append(")");
    }
    int exit = facts.exitCode() == null ? -1 : facts.exitCode();
    if (facts.signal() != null) {
      s.append(" was killed by signal ")
          .append(exit - 128)
          .append(" (")
          .append(facts.signal())
          .append(")");
    } else if (exit > 128 && exit <= 128 + 64) {
      s.append(" was killed by signal ").append(exit - 128);
    } else {
      s.append(" exited with code ").append(exit);
    }
    if (facts.fatalErrorLog() != null) {
      s.append(": the JVM crashed");
      if (facts.fatalErrorSummary() != null) {
        s.append(" in ").append(facts.fatalErrorSummary());
      }
      s.append(" (its report: ").append(facts.fatalErrorLog()).append(")");
    }
    if (facts.limit() == WorkerCrashedException.Limit.MEMORY) {
      s.append(": the pool killed it because its resident memory, ")
          .append(ResidentMemory.describe(facts.residentMemory()))
          .append(", passed ")
          .append(ResidentMemory.describe(memoryKillThreshold))
          .append(" (1.5 × maxWorkerMemory) while the task ran");
      return s.toString();
    }
    List<String> lines = facts.stderrTail();
    String memory = null;
    for (String line : lines) {
      // The JVM echoes JAVA_TOOL_OPTIONS, whose flags may name OutOfMemoryError.
      if (line.contains("OutOfMemoryError") && !line.startsWith("Picked up ")) {
        memory = line.trim();
        break;
      }
    }
    if (memory != null) {
      s.append(": out of memory (").append(memory).append(")");
    } else if (!lines.isEmpty() && facts.fatalErrorLog() == null) {
      s.append("; its last stderr lines:");
      for (String line : lines.subList(Math.max(0, lines.size() - 5), lines.size())) {
        s.append(System.lineSeparator()).append("  ").append(line);
      }
    }
    if (stray != null && facts.fatalErrorLog() == null) {
      // A crashing JVM prints its report's banner on stdout; the log says it all.
      s.append("; it wrote to its stdout ").append(stray);
    }
    return s.toString();
  }

  /**
   * Deletes the oldest fatal error logs in {@code folder} beyond the newest {@value #LOGS_KEPT},
   * never {@code keep}: crashes that repeat must not fill the user's cache. Only regular files
   * named as the JVM names its logs are touched, never through a link.
   */
  static void pruneLogs(Path folder, Path keep) {
    List<Path> logs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "hs_err_pid*.log")) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && !entry.equals(keep)) {
          logs.add(entry);
        }
      }
      if (logs.size() < LOGS_KEPT) {
        return;
      }
      logs.sort(
          Comparator.comparing(
              (Path p) -> {
                try {
                  return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException gone) {
                  return FileTime.fromMillis(0);
                }
              }));
      for (Path old : logs.subList(0, logs.size() - (LOGS_KEPT - 1))) {
        Files.deleteIfExists(old);
      }
    } catch (IOException | RuntimeException unreadable) {
      // the logs stay; nothing else depends on pruning them
    }
  }

  /** The line after {@code # Problematic frame:} in a fatal error log, or null. */
  private static String problematicFrame(Path log) {
    try (BufferedReader lines = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
      String line;
      int read = 0;
      while ((line = lines.readLine()) != null && read++ < 200) {
        if (line.startsWith("# Problematic frame:")) {
          String frame = lines.readLine();
          return frame == null ? null : frame.replaceFirst("^#\\s*", "").strip();
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // the log is the user's to read
    }
    return null;
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 1 -> "SIGHUP";
      case 2 -> "SIGINT";
      case 3 -> "SIGQUIT";
      case 4 -> "SIGILL";
      case 6 -> "SIGABRT";
      case 7 -> "SIGBUS";
      case 8 -> "SIGFPE";
      case 9 -> "SIGKILL";
      case 11 -> "SIGSEGV";
      case 13 -> "SIGPIPE";
      case 14 -> "SIGALRM";
      case 15 -> "SIGTERM";
      default -> null;
    };
  }
}
