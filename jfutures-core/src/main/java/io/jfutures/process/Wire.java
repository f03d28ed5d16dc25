package io.jfutures.process;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The frames a pool and its worker exchange over the worker's stdin and stdout: a magic number, a
 * kind byte, a task id, and a length-prefixed payload encoded by {@link Codec}. A worker handles
 * frames in the order they arrive and answers tasks in that order.
 *
 * <p>The magic number and the kind are checked before anything else is read, so that bytes that are
 * not a frame (native code or a library writing straight to the worker's stdout) are caught at once
 * as a {@link StrayOutputException}, rather than read as the length of a frame that never ends.
 */
final class Wire {
  /** Starts every frame. 0xFA never occurs in UTF-8 text, so no printed line can look like it. */
  private static final short MAGIC = (short) 0xFACE;

  /** Pool to worker: the pool's name and the worker's initializer (or null). Always first. */
  static final byte INIT = 1;

  /** Pool to worker: a task to run. */
  static final byte TASK = 2;

  /**
   * Pool to worker: do not run this task if it has not started (it was cancelled, or the worker
   * drains); answered with SKIPPED, or with BEGUN if the task is running.
   */
  static final byte SKIP = 3;

  /**
   * Pool to worker: the bytes of a class or resource the worker asked for, under its request id.
   */
  static final byte CODE = 4;

  /**
   * Pool to worker: the class or resource asked for is nowhere; the payload says where it looked.
   */
  static final byte NO_CODE = 5;

  /** Worker to pool: the initializer ran; tasks may come. */
  static final byte READY = 10;

  /** Worker to pool: the initializer threw (payload: the exception). The worker then exits. */
  static final byte INIT_FAILED = 11;

  /** Worker to pool: a task's value. */
  static final byte RESULT = 12;

  /** Worker to pool: what a task threw, or why its value could not be sent. */
  static final byte FAILURE = 13;

  /** Worker to pool: a task skipped as asked. */
  static final byte SKIPPED = 14;

  /**
   * Worker to pool: a class or resource the worker lacks, by request id; the payload is the id of
   * the class loader to ask (4 bytes) and the resource's name in UTF-8.
   */
  static final byte CODE_WANTED = 15;

  /**
   * Worker to pool: the task of this id was already running when its SKIP came, so it could not be
   * skipped; an answer for it still follows if it ends.
   */
  static final byte BEGUN = 16;

  private static final byte[] NO_SPARE = new byte[0];

  /** A big payload's first allocation; it doubles as its bytes arrive. */
  private static final int FIRST_READ = 1 << 20;

  private Wire() {}

  /** A frame; its payload is the first {@code length} bytes of {@code payload}. */
  record Frame(byte kind, long id, byte[] payload, int length) {}

  /** A buffered channel that tells how much it has already read in. */
  static final class Input extends BufferedInputStream {
    Input(InputStream in) {
      super(in, 1 << 16);
    }

    /** Bytes read in and not yet taken. Only for a thread that reads, or while none does. */
    int buffered() {
      return count - pos;
    }
  }

  /** Bytes on a channel that are not a frame. */
  static final class StrayOutputException extends IOException {
    private static final long serialVersionUID = 1L;

    StrayOutputException(String message) {
      super(message);
    }
  }

  static void write(DataOutputStream out, byte kind, long id, byte[] payload, int length)
      throws IOException {
    out.writeShort(MAGIC);
    out.writeByte(kind);
    out.writeLong(id);
    out.writeInt(length);
    out.write(payload, 0, length);
  }

  /**
   * Skips what a JVM prints on its stdout before its program starts (JFR's start-up banner, for
   * one), handing each such line to {@code strayLine}, up to the first frame, which it reads.
   */
  static Frame readFirst(DataInputStream in, java.util.function.Consumer<String> strayLine)
      throws IOException {
    StringBuilder line = new StringBuilder();
    int previous = in.readUnsignedByte();
    while (true) {
      int next = in.readUnsignedByte();
      if (((previous << 8) | next) == (MAGIC & 0xFFFF)) {
        if (!line.isEmpty()) {
          strayLine.accept(line.toString());
        }
        return readAfterMagic(MAGIC, in, NO_SPARE);
      }
      if (previous == '\n') {
        strayLine.accept(line.toString());
        line.setLength(0);
      } else if (previous != '\r') {
        line.append((char) previous);
      }
      previous = next;
    }
  }

  /** Reads one frame; throws {@link java.io.EOFException} when the other side has gone. */
  static Frame read(DataInputStream in) throws IOException {
    return read(in, NO_SPARE);
  }

  /**
   * Reads one frame, into {@code spare} when its payload fits there: a reader that is done with
   * each frame before it reads the next can pass the last frame's payload and allocate only when
   * frames grow.
   */
  static Frame read(DataInputStream in, byte[] spare) throws IOException {
    return readAfterMagic(in.readShort(), in, spare);
  }

  private static Frame readAfterMagic(short magic, DataInputStream in, byte[] spare)
      throws IOException {
    byte kind = magic == MAGIC ? in.readByte() : 0;
    if (magic != MAGIC || kind < INIT || kind > BEGUN || (kind > NO_CODE && kind < READY)) {
      throw stray(magic, kind, in);
    }
    long id = in.readLong();
    int length = in.readInt();
    if (length < 0) {
      throw new StrayOutputException("a frame with a negative length (" + length + ")");
    }
    byte[] payload;
    if (length <= spare.length) {
      payload = spare;
      in.readFully(payload, 0, length);
    } else {
      payload = readGrowing(in, length);
    }
    return new Frame(kind, id, payload, length);
  }

  /**
   * The payload of a frame too big for the spare array, in an array that grows as its bytes arrive:
   * a length field that claims gigabytes costs memory only as the bytes come, and a channel that
   * ends early fails with {@link java.io.EOFException} having allocated at most twice what it sent.
   */
  private static byte[] readGrowing(DataInputStream in, int length) throws IOException {
    byte[] payload = new byte[Math.min(length, FIRST_READ)];
    int filled = 0;
    while (true) {
      in.readFully(payload, filled, payload.length - filled);
      filled = payload.length;
      if (filled == length) {
        return payload;
      }
      payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * filled));
    }
  }

  /** Describes stray bytes: what was read and what else is already waiting, as text. */
  private static StrayOutputException stray(short magic, byte kind, DataInputStream in)
      throws IOException {
    StringBuilder seen = new StringBuilder();
    seen.append((char) ((magic >> 8) & 0xFF)).append((char) (magic & 0xFF));
    if (magic == MAGIC) {
      seen.append((char) (kind & 0xFF));
    }
    int more = Math.min(in.available(), 200);
    for (int i = 0; i < more; i++) {
      seen.append((char) in.readUnsignedByte());
    }
    String text = seen.toString().replaceAll("\\p{Cntrl}", " ").strip();
    return new StrayOutputException("output that is not part of the protocol: \"" + text + "\"");
  }
}
