package io.jfutures.hazelcast;

import io.jfutures.Pool;

/** A main that submits to an embedded ClusterPool and returns without closing it. */
public final class ForgetfulMain {
  private ForgetfulMain() {}

  public static void main(String[] args) {
    Pool pool = ClusterPool.embedded();
    for (int i = 0; i < 6; i++) {
      int n = i;
      pool.submit(
              () -> {
                Thread.sleep(200);
                return n;
              })
          .onDone(f -> System.out.println("done " + f.result()));
    }
    System.out.println("main returns");
  }
}
