package io.jfutures;

/**
 * Stands in for an exception thrown in another JVM whose class could not be recreated here. It
 * carries the original's class name, message and stack trace as text.
 */
public class RemoteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String remoteClassName;
  private final String remoteMessage;
  private final String remoteStackTrace;

  public RemoteException(String remoteClassName, String remoteMessage, String remoteStackTrace) {
    super(remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage);
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    this.remoteStackTrace = remoteStackTrace;
  }

  /** The fully qualified class name of the original exception. */
  public String remoteClassName() {
    return remoteClassName;
  }

  /** The original exception's message, or null if it had none. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The original exception's stack trace as {@link Throwable#printStackTrace()} printed it. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }

  @Override
  public String toString() {
    return super.toString()
        + System.lineSeparator()
        + "remote stack trace:"
        + System.lineSeparator()
        + remoteStackTrace;
  }
}
