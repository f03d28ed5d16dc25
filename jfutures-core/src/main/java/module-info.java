/**
 * jfutures: Python's {@code concurrent.futures} for Java, over threads, worker processes and
 * clusters.
 *
 * <p>The API is package {@link io.jfutures}; the machinery behind it is not exported, except to the
 * cluster back end, which builds its pool from the same parts.
 */
module io.jfutures {
  requires java.management;
  requires jdk.jfr;

  exports io.jfutures;
  exports io.jfutures.base to
      io.jfutures.hazelcast;
  exports io.jfutures.codec to
      io.jfutures.hazelcast;
  exports io.jfutures.remote to
      io.jfutures.hazelcast;
}
