package io.jfutures;

import java.io.Serializable;

/**
 * A function applied to each input by {@link Pool#map}. Serializable like {@link Task}, for the
 * same reason.
 *
 * @param <A> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Fn<A, R> extends Serializable {
  R apply(A input) throws Exception;
}
