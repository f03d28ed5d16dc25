package io.jfutures;

/**
 * The pool can no longer run tasks, because a worker's initializer failed or a worker could not be
 * started at all. The future of every task that was waiting fails with it, and so does every later
 * {@link Pool#submit}. The cause is what broke the pool.
 */
public class BrokenPoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BrokenPoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
