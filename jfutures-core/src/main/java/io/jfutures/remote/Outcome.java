package io.jfutures.remote;

import io.jfutures.codec.Buffer;
import io.jfutures.codec.Codec;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.concurrent.Callable;

/**
 * The worker's side of a task, wherever it runs (a worker process, a cluster member): runs it and
 * writes what came of it, for the pool's {@link Dispatch#settle} to read.
 */
public final class Outcome {
  private Outcome() {}

  /**
   * Runs {@code task} and writes what came of it to {@code buffer}: its value, or else what it
   * threw. A value that cannot be written is dropped and a {@link NotSerializableException} naming
   * its class is written in its place.
   *
   * @return true if a value was written, false if a failure was
   */
  public static boolean write(Callable<?> task, Buffer buffer) throws IOException {
    Object value;
    try {
      value = task.call();
    } catch (Throwable t) {
      Codec.write(buffer, t);
      return false;
    }
    int start = buffer.size();
    try {
      Codec.write(buffer, value);
      return true;
    } catch (IOException unsendable) {
      buffer.truncate(start);
      Codec.write(
          buffer, new NotSerializableException("the task's result: " + unsendable.getMessage()));
      return false;
    }
  }
}
