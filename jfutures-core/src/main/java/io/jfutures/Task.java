package io.jfutures;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A unit of work that returns a value. A lambda written where a {@code Task} is expected is
 * serializable, so the same lambda runs on a thread, a worker process or a cluster member, provided
 * everything it captures is serializable too.
 *
 * @param <T> the type of the result
 */
@FunctionalInterface
public interface Task<T> extends Callable<T>, Serializable {
  @Override
  T call() throws Exception;
}
