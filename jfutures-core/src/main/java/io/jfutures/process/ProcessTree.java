package io.jfutures.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The processes a worker's tasks started, found and ended with the worker.
 *
 * <p>Each worker starts with an environment variable, {@value #VARIABLE}, set to a token of its
 * own. Every process it starts inherits it, however that process detaches later: a new session, a
 * double fork, re-parented to init. On Linux the tree is found by reading {@code
 * /proc/<pid>/environ} of the processes the user may read, which finds exactly the processes that
 * carry the token (Jenkins' process tree killer finds a build's processes the same way). Where
 * {@code /proc} is missing, and for a process that cleared its environment, the worker's
 * descendants as {@link ProcessHandle} sees them stand in, collected before the worker is killed,
 * since orphans are re-parented away from it once it is gone.
 *
 * <p>Who ends a tree: the pool, after a worker it killed or that died has exited; the worker itself
 * as it exits after its stdin closes (the pool retired it, or the pool's JVM is gone), and before
 * it halts when it sees the pool's process gone.
 */
final class ProcessTree {
  /** The environment variable that marks a worker's processes. */
  static final String VARIABLE = "JFUTURES_WORKER_TREE";

  /** Rounds of find-and-kill, for processes that fork while their tree is being killed. */
  private static final int ROUNDS = 5;

  private ProcessTree() {}

  /** A token no other worker has: this JVM's pid and 128 random bits. */
  static String newToken() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return ProcessHandle.current().pid()
        + "-"
        + HexFormat.of().toHexDigits(random.nextLong())
        + HexFormat.of().toHexDigits(random.nextLong());
  }

  /**
   * Kills every process, except this one, that carries {@code token}, and those of {@code also}
   * still alive; repeats until a round finds none, {@value #ROUNDS} rounds at most.
   */
  static void end(String token, Collection<ProcessHandle> also) {
    for (ProcessHandle handle : also) {
      handle.destroyForcibly();
    }
    if (token == null || token.isEmpty()) {
      return;
    }
    byte[] mark = (VARIABLE + "=" + token).getBytes(StandardCharsets.UTF_8);
    for (int round = 0; round < ROUNDS; round++) {
      List<Long> marked = marked(mark);
      if (marked.isEmpty()) {
        return;
      }
      for (long pid : marked) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /** The pids, other than this process's, whose environment holds {@code mark} as one entry. */
  private static List<Long> marked(byte[] mark) {
    List<Long> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path entry : proc) {
        long pid = pidOf(entry.getFileName().toString());
        if (pid <= 0 || pid == self) {
          continue;
        }
        byte[] environ;
        try {
          environ = Files.readAllBytes(entry.resolve("environ"));
        } catch (IOException | SecurityException unreadable) {
          continue; // gone, or another user's
        }
        if (holds(environ, mark)) {
          found.add(pid);
        }
      }
    } catch (IOException noProc) {
      // not Linux: the descendants collected before the kill are all there is
    }
    return found;
  }

  /** Whether the NUL-separated {@code environ} has the entry {@code mark}. */
  static boolean holds(byte[] environ, byte[] mark) {
    int start = 0;
    while (start < environ.length) {
      int end = start;
      while (end < environ.length && environ[end] != 0) {
        end++;
      }
      if (end - start == mark.length) {
        boolean same = true;
        for (int i = 0; i < mark.length && same; i++) {
          same = environ[start + i] == mark[i];
        }
        if (same) {
          return true;
        }
      }
      start = end + 1;
    }
    return false;
  }

  private static long pidOf(String name) {
    long pid = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      pid = pid * 10 + (c - '0');
    }
    return name.isEmpty() ? -1 : pid;
  }
}
