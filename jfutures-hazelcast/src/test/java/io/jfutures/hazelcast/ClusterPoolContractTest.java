package io.jfutures.hazelcast;

import io.jfutures.Pool;
import io.jfutures.testing.RemotePoolContract;

/** The pool contract, met by a pool on an embedded Hazelcast member, whatever workers it asks. */
class ClusterPoolContractTest extends RemotePoolContract {
  @Override
  protected Pool newPool(int workers) {
    return ClusterPool.embedded();
  }
}
