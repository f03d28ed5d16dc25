package io.jfutures;

/**
 * A task did not produce its value. Thrown by {@link TaskFuture#result()} and by a {@link Pool#map}
 * stream when it reaches a failed element. When the task itself threw, {@link #getCause()} is that
 * exception (or a {@link RemoteException} standing in for it); the subclasses say why a task failed
 * without throwing: its worker died ({@link WorkerCrashedException}) or it ran too long ({@link
 * TaskTimeoutException}).
 */
public class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TaskFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  public TaskFailedException(String message) {
    super(message);
  }
}
