package io.jfutures;

import java.io.Serializable;

/** Work with no result, such as a pool's per-worker initializer. Serializable like {@link Task}. */
@FunctionalInterface
public interface Action extends Serializable {
  void run() throws Exception;
}
