package io.jfutures;

/**
 * The worker running a task died before the task finished: it was killed, exited, ran out of memory
 * or crashed. The message names the worker and its exit code or signal. Only the tasks that worker
 * was running fail; the pool starts a replacement.
 */
public class WorkerCrashedException extends TaskFailedException {
  private static final long serialVersionUID = 1L;

  public WorkerCrashedException(String message) {
    super(message);
  }

  public WorkerCrashedException(String message, Throwable cause) {
    super(message, cause);
  }
}
