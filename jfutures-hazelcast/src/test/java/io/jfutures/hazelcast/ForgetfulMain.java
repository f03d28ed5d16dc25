package io.jfutures.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import io.jfutures.Pool;
import io.jfutures.testing.ForgetfulProgram;

/**
 * A main that submits to a ClusterPool and returns without closing it: {@code ForgetfulMain} for an
 * embedded pool, {@code ForgetfulMain CLUSTER HOST:PORT} for a client of that cluster.
 */
public final class ForgetfulMain {
  private ForgetfulMain() {}

  public static void main(String[] args) {
    Pool pool;
    if (args.length == 0) {
      pool = ClusterPool.embedded();
    } else {
      ClientConfig client = new ClientConfig();
      client.setClusterName(args[0]);
      client.getNetworkConfig().addAddress(args[1]);
      pool = ClusterPool.connect(client);
    }
    ForgetfulProgram.submitAndForget(pool);
  }
}
