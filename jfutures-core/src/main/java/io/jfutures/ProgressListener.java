package io.jfutures;

/**
 * Told how far a {@link Pool#map} has come, as results land. Calls for one map never overlap and
 * their {@code completed} counts never go down; they come from the pool's threads, so a listener
 * should be quick. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface ProgressListener {
  /**
   * @param completed how many inputs have a result (or failed) so far
   * @param total how many inputs there are, or {@code -1} when that is not known in advance
   */
  void onProgress(long completed, long total);
}
