package io.jfutures;

import io.jfutures.testing.PoolContract;
import org.junit.jupiter.api.Nested;

/** The pool contract, met by a thread pool of platform threads and by one of virtual threads. */
class ThreadPoolContractTest {
  @Nested
  class PlatformThreads extends PoolContract {
    @Override
    protected Pool newPool(int workers) {
      return ThreadPool.create(workers);
    }
  }

  @Nested
  class VirtualThreads extends PoolContract {
    @Override
    protected Pool newPool(int workers) {
      return ThreadPool.builder().virtualThreads().maxWorkers(workers).build();
    }
  }
}
