package io.jfutures.cli.image;

/**
 * A problem with one image (unreadable, corrupt, truncated, an unsupported kind, a mode the output
 * format cannot hold). Its message is written for the user and names no path: the caller adds it.
 */
public final class ImageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImageException(String message) {
    super(message);
  }

  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
