package io.jfutures.bench;

import com.hazelcast.client.config.ClientConfig;
import io.jfutures.Task;
import io.jfutures.hazelcast.ClusterPool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The first task on a fresh {@code jfutures cluster member}: one started with this program on its
 * {@code --classpath}, and one without, which asks the client for each class it lacks. Members run
 * from the CLI jar ({@code args[0]}); {@code args[1]} is what {@code --classpath} gives them. Run
 * by {@code jfutures-bench/cluster-figures.sh}.
 */
public final class MemberFirstTaskFigures {
  private MemberFirstTaskFigures() {}

  record Point(int x, int y) implements Serializable {}

  public static void main(String[] args) throws Exception {
    String cli = args[0];
    String classes = args[1];
    for (int round = 0; round < 3; round++) {
      for (boolean withClassPath : new boolean[] {true, false}) {
        String name = "ft-" + UUID.randomUUID();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
          port = free.getLocalPort();
        }
        List<String> command =
            new ArrayList<>(
                List.of(
                    System.getProperty("java.home") + "/bin/java",
                    "-jar",
                    cli,
                    "cluster",
                    "member",
                    "--port",
                    Integer.toString(port),
                    "--cluster-name",
                    name));
        if (withClassPath) {
          command.add("--classpath");
          command.add(classes);
        }
        Process member = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(member.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.contains("Stop it with Ctrl-C.")) {}
        ClientConfig client = new ClientConfig();
        client.setClusterName(name);
        client.getNetworkConfig().addAddress("127.0.0.1:" + port);
        try (ClusterPool pool = ClusterPool.connect(client)) {
          long t = System.nanoTime();
          pool.submit((Task<Point>) () -> new Point(1, 2)).result();
          double first = (System.nanoTime() - t) / 1e6;
          t = System.nanoTime();
          pool.submit((Task<Point>) () -> new Point(3, 4)).result();
          double second = (System.nanoTime() - t) / 1e6;
          System.out.printf(
              "%s: first task %.1f ms, second %.1f ms%n",
              withClassPath ? "--classpath   " : "classes fetched", first, second);
        } finally {
          member.destroyForcibly().waitFor();
        }
      }
    }
    System.exit(0);
  }
}
