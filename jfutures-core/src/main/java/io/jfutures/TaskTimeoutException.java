package io.jfutures;

/** A task ran longer than its pool's task timeout; its worker was stopped and replaced. */
public class TaskTimeoutException extends TaskFailedException {
  private static final long serialVersionUID = 1L;

  public TaskTimeoutException(String message) {
    super(message);
  }
}
