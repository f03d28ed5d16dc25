package io.jfutures.process;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The frames a pool and its worker exchange over the worker's stdin and stdout: a kind byte, a task
 * id, and a length-prefixed payload encoded by {@link Codec}. A worker handles frames in the order
 * they arrive and answers tasks in that order.
 */
final class Wire {
  /** Pool to worker: the pool's name and the worker's initializer (or null). Always first. */
  static final byte INIT = 1;

  /** Pool to worker: a task to run. */
  static final byte TASK = 2;

  /** Pool to worker: do not run this task if it has not started (it was cancelled). */
  static final byte SKIP = 3;

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

  private Wire() {}

  record Frame(byte kind, long id, byte[] payload) {}

  static void write(DataOutputStream out, byte kind, long id, byte[] payload, int length)
      throws IOException {
    out.writeByte(kind);
    out.writeLong(id);
    out.writeInt(length);
    out.write(payload, 0, length);
  }

  /** Reads one frame; throws {@link java.io.EOFException} when the other side has gone. */
  static Frame read(DataInputStream in) throws IOException {
    byte kind = in.readByte();
    long id = in.readLong();
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("corrupt frame: negative length " + length);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(kind, id, payload);
  }
}
