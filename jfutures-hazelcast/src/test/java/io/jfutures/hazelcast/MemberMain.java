package io.jfutures.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.Arrays;
import java.util.List;

/**
 * A member JVM for the tests: {@code MemberMain CLUSTER PORT MEMBER...}. Prints {@code ready} when
 * it has joined, and halts when its stdin closes, so that a test JVM that dies takes its members
 * with it.
 */
public final class MemberMain {
  private MemberMain() {}

  public static void main(String[] args) throws Exception {
    List<String> members = Arrays.asList(args).subList(2, args.length);
    Config config =
        ClusterPool.memberConfig(args[0], "127.0.0.1", Integer.parseInt(args[1]), members);
    config.getNetworkConfig().setPortAutoIncrement(false);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    System.out.println("ready " + member.getCluster().getLocalMember().getAddress());
    System.out.flush();
    Thread watch =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // wait for the end of stdin
                }
              } catch (java.io.IOException e) {
                // the test JVM is gone
              }
              Runtime.getRuntime().halt(0);
            });
    watch.setDaemon(true);
    watch.start();
  }
}
