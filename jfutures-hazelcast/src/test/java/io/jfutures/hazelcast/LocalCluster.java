package io.jfutures.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import io.jfutures.testing.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Member JVMs on loopback, each a real process, for tests that kill them. */
final class LocalCluster implements AutoCloseable {
  final String name = "test-" + System.nanoTime();
  final List<Process> members = new ArrayList<>();
  final List<Integer> ports = new ArrayList<>();

  /** Starts {@code size} members and waits until each has joined. */
  LocalCluster(int size) throws Exception {
    int base = Ports.freeRun(size);
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(base + i);
      addresses.add("127.0.0.1:" + (base + i));
    }
    List<CompletableFuture<String>> ready = new ArrayList<>();
    for (int port : ports) {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElseThrow());
      command.add("-Xshare:auto");
      command.add("-Dhazelcast.logging.type=none");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(MemberMain.class.getName());
      command.add(name);
      command.add(Integer.toString(port));
      command.addAll(addresses);
      Process member =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      members.add(member);
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(member.getInputStream(), StandardCharsets.UTF_8));
      ready.add(CompletableFuture.supplyAsync(() -> readLine(out)));
    }
    for (int i = 0; i < size; i++) {
      String line = ready.get(i).get(90, TimeUnit.SECONDS);
      if (line == null || !line.startsWith("ready")) {
        throw new IllegalStateException(
            "member on port " + ports.get(i) + " did not start: " + line);
      }
    }
  }

  private static String readLine(BufferedReader in) {
    try {
      return in.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  /** A client configuration that reaches every member. */
  ClientConfig client() {
    ClientConfig config = new ClientConfig();
    config.setClusterName(name);
    config.setProperty("hazelcast.logging.type", "none");
    for (int port : ports) {
      config.getNetworkConfig().addAddress("127.0.0.1:" + port);
    }
    return config;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process member : members) {
      member.destroyForcibly();
    }
    for (Process member : members) {
      member.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
