package io.jfutures;

/**
 * A wait for results ran out of time. Nothing is cancelled by it, except where the method that
 * threw it says so (a {@link Pool#map} stream cancels what is pending).
 */
public class WaitTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WaitTimeoutException(String message) {
    super(message);
  }
}
