package io.jfutures;

import java.util.Set;

/**
 * The outcome of {@link Futures#waitFor}: the futures that were done when it returned and those
 * that were not. Both sets are unmodifiable and keep the order in which the futures were given.
 *
 * @param done the futures that had completed, failed or been cancelled
 * @param pending the others
 * @param <F> the future type
 */
public record DoneAndPending<F>(Set<F> done, Set<F> pending) {
  public DoneAndPending {
    done = java.util.Collections.unmodifiableSet(done);
    pending = java.util.Collections.unmodifiableSet(pending);
  }
}
