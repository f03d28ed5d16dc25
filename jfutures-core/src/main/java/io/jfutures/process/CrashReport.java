package io.jfutures.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What the pool knows of a worker's death, in one sentence for the exceptions of the tasks it took
 * down: its name and pid, its exit code or signal, and what its last stderr lines say. It keeps the
 * last {@value #TAIL_LINES} lines the worker wrote to stderr; the stderr pump adds them, the reader
 * thread asks for the sentence, so the tail is guarded by its own monitor.
 */
final class CrashReport {
  private static final int TAIL_LINES = 20;

  private final String worker;
  private final ArrayDeque<String> tail = new ArrayDeque<>();

  CrashReport(String worker) {
    this.worker = worker;
  }

  synchronized void stderrLine(String line) {
    tail.addLast(line);
    if (tail.size() > TAIL_LINES) {
      tail.removeFirst();
    }
  }

  /**
   * The sentence for a worker with process id {@code pid} (or -1) that ended with {@code exit} (128
   * + n for signal n, as a shell says); {@code stray}, if not null, is what it wrote to its stdout
   * out of protocol.
   */
  String describe(long pid, int exit, String stray) {
    StringBuilder s = new StringBuilder(worker);
    if (pid >= 0) {
      s.append(" (pid ").append(pid).append(")");
    }
    if (exit > 128 && exit <= 128 + 64) {
      int signal = exit - 128;
      s.append(" was killed by signal ").append(signal).append(signalName(signal));
    } else {
      s.append(" exited with code ").append(exit);
    }
    List<String> lines;
    synchronized (this) {
      lines = new ArrayList<>(tail);
    }
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
    } else if (!lines.isEmpty()) {
      s.append("; its last stderr lines:");
      for (String line : lines.subList(Math.max(0, lines.size() - 5), lines.size())) {
        s.append(System.lineSeparator()).append("  ").append(line);
      }
    }
    if (stray != null) {
      s.append("; it wrote to its stdout ").append(stray);
    }
    return s.toString();
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 1 -> " (SIGHUP)";
      case 2 -> " (SIGINT)";
      case 3 -> " (SIGQUIT)";
      case 4 -> " (SIGILL)";
      case 6 -> " (SIGABRT)";
      case 7 -> " (SIGBUS)";
      case 8 -> " (SIGFPE)";
      case 9 -> " (SIGKILL)";
      case 11 -> " (SIGSEGV)";
      case 15 -> " (SIGTERM)";
      default -> "";
    };
  }
}
