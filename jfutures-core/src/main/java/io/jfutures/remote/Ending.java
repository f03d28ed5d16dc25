package io.jfutures.remote;

import io.jfutures.WorkerCrashedException;

/**
 * How a worker ended, as its transport reports it to {@link Dispatcher#ended}.
 *
 * @param clean it exited with success: as asked, if it was retired
 * @param exitedOnItsOwn it exited with a code rather than by a signal or a lost connection; a
 *     worker that does so before it is ready refuses to start, and the pool gives up sooner
 * @param description one sentence that names the worker and says what happened, for the exceptions
 *     of the tasks it took down
 * @param cause what the transport saw, or null
 * @param facts the same, one by one, for {@link WorkerCrashedException}'s accessors
 */
public record Ending(
    boolean clean,
    boolean exitedOnItsOwn,
    String description,
    Throwable cause,
    WorkerCrashedException.Facts facts) {
  /** A retired worker that left as asked. */
  public static Ending retired(String description) {
    return new Ending(true, true, description, null, WorkerCrashedException.Facts.none());
  }

  /** A worker process that exited with {@code code} (a shell's 128 + n for signal n). */
  public static Ending exited(int code, String description) {
    return exited(code, description, WorkerCrashedException.Facts.none());
  }

  /** As {@link #exited(int, String)}, with what else is known of the end. */
  public static Ending exited(int code, String description, WorkerCrashedException.Facts facts) {
    return new Ending(code == 0, code >= 0 && code <= 128, description, null, facts);
  }

  /** A worker that the transport lost: its connection broke, or its member left. */
  public static Ending lost(String description, Throwable cause) {
    return lost(description, cause, WorkerCrashedException.Facts.none());
  }

  /** As {@link #lost(String, Throwable)}, with what else is known of the end. */
  public static Ending lost(
      String description, Throwable cause, WorkerCrashedException.Facts facts) {
    return new Ending(false, false, description, cause, facts);
  }
}
