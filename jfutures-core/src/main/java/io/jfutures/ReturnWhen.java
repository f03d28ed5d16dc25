package io.jfutures;

/** When {@link Futures#waitFor} returns, besides running out of time. */
public enum ReturnWhen {
  /** As soon as any future is done (completed, failed or cancelled). */
  FIRST_COMPLETED,
  /**
   * As soon as any future has failed, or when all are done. A cancelled future counts as done, not
   * as failed.
   */
  FIRST_EXCEPTION,
  /** When every future is done. */
  ALL_COMPLETED
}
