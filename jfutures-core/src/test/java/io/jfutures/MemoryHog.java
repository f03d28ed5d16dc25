package io.jfutures;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Grows a worker's resident memory for real, on its heap, and keeps it: what a leaking task does.
 * Its static list lives as long as the worker that loaded it.
 */
final class MemoryHog {
  private static final List<byte[]> KEPT = new ArrayList<>();
  private static FileOutputStream log;

  private MemoryHog() {}

  /** This process's resident memory in bytes, from {@code /proc/self/status}. */
  static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }

  /** Appends {@code n} as a line to {@code file}, kept open by this worker: a cheap side effect. */
  static synchronized void note(String file, int n) throws IOException {
    if (log == null) {
      log = new FileOutputStream(file, true);
    }
    log.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Leaks memory until this process holds at least {@code bytes} resident. */
  static void growTo(long bytes) throws IOException {
    while (residentBytes() < bytes) {
      byte[] block = new byte[4 << 20];
      Arrays.fill(block, (byte) 1);
      KEPT.add(block);
    }
  }

  /**
   * Leaks memory without end, a little at a time, so that a sampler sees it grow; returns only if
   * it reached {@code ceiling} without being stopped.
   */
  static String growWithoutEnd(long ceiling) throws IOException, InterruptedException {
    while (residentBytes() < ceiling) {
      byte[] block = new byte[8 << 20];
      Arrays.fill(block, (byte) 1);
      KEPT.add(block);
      Thread.sleep(2);
    }
    return "reached " + ceiling + " bytes and nothing stopped it";
  }
}
