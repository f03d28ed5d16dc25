package io.jfutures.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resident memory of one process, the whole of it as the operating system counts it (heap,
 * metaspace, code, thread stacks, direct and native memory alike), read from Linux's {@code
 * /proc/<pid>/statm}. The file is kept open and read again from its start for each measure, which
 * costs a few microseconds; its second field counts pages, whose size comes from the kernel's
 * auxiliary vector ({@code AT_PAGESZ} in {@code /proc/self/auxv}). Not thread-safe: one reader at a
 * time, which {@link Worker} ensures by its monitor.
 */
final class ResidentMemory implements AutoCloseable {
  private static final long PAGE_SIZE = pageSize();

  private final FileChannel statm;
  private final ByteBuffer buffer = ByteBuffer.allocate(128);

  private ResidentMemory(FileChannel statm) {
    this.statm = statm;
  }

  /** Whether resident memory can be read here: Linux, with {@code /proc}. */
  static boolean supported() {
    return PAGE_SIZE > 0 && Files.isReadable(Path.of("/proc/self/statm"));
  }

  /** A reader of {@code pid}'s resident memory, or null if it cannot be read. */
  static ResidentMemory of(long pid) {
    if (PAGE_SIZE <= 0) {
      return null;
    }
    try {
      return new ResidentMemory(FileChannel.open(Path.of("/proc", Long.toString(pid), "statm")));
    } catch (IOException | UnsupportedOperationException unreadable) {
      return null;
    }
  }

  /** The process's resident memory in bytes now; -1 once it is gone. */
  long bytes() {
    try {
      buffer.clear();
      int n = statm.read(buffer, 0);
      // "size resident shared text lib data dt", in pages
      int i = 0;
      while (i < n && buffer.get(i) != ' ') {
        i++;
      }
      long pages = 0;
      boolean digits = false;
      for (i++; i < n && buffer.get(i) >= '0' && buffer.get(i) <= '9'; i++) {
        pages = pages * 10 + (buffer.get(i) - '0');
        digits = true;
      }
      return digits ? pages * PAGE_SIZE : -1;
    } catch (IOException gone) {
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      statm.close();
    } catch (IOException ignored) {
      // nothing to release
    }
  }

  /** {@code AT_PAGESZ} (6) from this process's auxiliary vector; -1 where there is none. */
  private static long pageSize() {
    try {
      ByteBuffer auxv =
          ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv")))
              .order(ByteOrder.nativeOrder());
      boolean wide = !"32".equals(System.getProperty("sun.arch.data.model"));
      while (auxv.remaining() >= (wide ? 16 : 8)) {
        long key = wide ? auxv.getLong() : auxv.getInt();
        long value = wide ? auxv.getLong() : auxv.getInt() & 0xFFFF_FFFFL;
        if (key == 6) {
          return value;
        }
        if (key == 0) {
          break;
        }
      }
    } catch (IOException | RuntimeException noAuxv) {
      // not Linux
    }
    return -1;
  }

  /** {@code bytes} for people: {@code 412 MiB}. */
  static String describe(long bytes) {
    if (bytes >= 10L << 30) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes >= 10L << 20) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 10L << 10) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }
}
