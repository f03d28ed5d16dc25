/**
 * jfutures on Hazelcast: {@link io.jfutures.hazelcast.ClusterPool}, the {@link io.jfutures.Pool}
 * API over the members of a cluster.
 */
module io.jfutures.hazelcast {
  requires transitive io.jfutures;
  requires transitive com.hazelcast.core;
  requires java.logging;

  exports io.jfutures.hazelcast;

  // Hazelcast creates the task carrier it receives (a DataSerializable) by reflection.
  opens io.jfutures.hazelcast to
      com.hazelcast.core;
}
