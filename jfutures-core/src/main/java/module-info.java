/**
 * jfutures: Python's {@code concurrent.futures} for Java, over threads, worker processes and
 * clusters.
 *
 * <p>The API is package {@link io.jfutures}; the machinery behind it is not exported.
 */
module io.jfutures {
  exports io.jfutures;
}
