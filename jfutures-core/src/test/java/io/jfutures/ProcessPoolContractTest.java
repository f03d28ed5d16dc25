package io.jfutures;

import io.jfutures.testing.RemotePoolContract;

/** The pool contract, met by a pool of worker JVMs. */
class ProcessPoolContractTest extends RemotePoolContract {
  @Override
  protected Pool newPool(int workers) {
    return ProcessPool.create(workers);
  }
}
