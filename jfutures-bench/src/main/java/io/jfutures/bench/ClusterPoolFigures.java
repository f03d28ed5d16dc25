package io.jfutures.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.jfutures.Pool;
import io.jfutures.ProcessPool;
import io.jfutures.ThreadPool;
import io.jfutures.hazelcast.ClusterPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Issue 5's figures for ClusterPool, beside ThreadPool and ProcessPool in the same run: the cost of
 * one task (round trip, and throughput of many small ones) embedded and as a client of two member
 * JVMs, and of Hazelcast's own executor service under each; then a CPU-bound map on one member
 * against three. Members are real {@code jfutures cluster member} JVMs on loopback, started from
 * this JVM's class path. Run by {@code jfutures-bench/cluster-figures.sh}.
 */
public final class ClusterPoolFigures {
  private ClusterPoolFigures() {}

  private static final int CPU_TASKS = 120;

  public static void main(String[] args) throws Exception {
    System.out.printf(
        "per-task cost: round trip = median of 5,000 one at a time (after 2,000);"
            + " throughput = median of 10 rounds of 20,000 submitted then collected (after 5)%n");
    overhead("ThreadPool.create(2)", () -> ThreadPool.create(2));
    overhead("ProcessPool.create(2)", () -> ProcessPool.create(2));
    overhead("ClusterPool.embedded()", ClusterPool::embedded);
    hazelcastAlone();
    try (Members members = Members.start(2)) {
      overhead("ClusterPool.connect(), 2 members", () -> ClusterPool.connect(members.client()));
      hazelcastClientAlone(members);
    }

    for (int i = 0; i < 10; i++) {
      ProcessPoolFigures.burn(i);
    }
    long t = System.nanoTime();
    ProcessPoolFigures.burn(1);
    System.out.printf(
        "%nCPU-bound: map of %d tasks of %.0f ms each on one core (measured here, warm),"
            + " after a warm-up map%n",
        CPU_TASKS, (System.nanoTime() - t) / 1e6);
    double process = cpuBound(ProcessPool.create(2));
    System.out.printf("  ProcessPool.create(2): %.2f s%n", process);
    double one;
    try (Members members = Members.start(1)) {
      one = cpuBound(ClusterPool.connect(members.client()));
    }
    System.out.printf("  ClusterPool, 1 member (2 workers): %.2f s%n", one);
    double three;
    try (Members members = Members.start(3)) {
      three = cpuBound(ClusterPool.connect(members.client()));
    }
    System.out.printf("  ClusterPool, 3 members (6 workers): %.2f s%n", three);
    System.out.printf("  3 members vs 1: %.2fx the throughput%n", one / three);
  }

  private static void overhead(String name, Supplier<Pool> pools) throws Exception {
    try (Pool pool = pools.get()) {
      print(name, PerTaskCost.measure(i -> pool.submit(() -> i), 5, 10));
    }
  }

  /** The peer under ClusterPool: Hazelcast's executor service called directly, embedded. */
  private static void hazelcastAlone() throws Exception {
    Config config =
        ClusterPool.memberConfig("bench-" + UUID.randomUUID(), "127.0.0.1", 5701, List.of());
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    try {
      IExecutorService executor = member.getExecutorService("bench");
      Member self = member.getCluster().getLocalMember();
      print(
          "Hazelcast IExecutorService alone",
          PerTaskCost.measure(i -> executor.submitToMember(new One(), self), 5, 10));
    } finally {
      member.shutdown();
    }
  }

  /**
   * The peer of a client pool: Hazelcast's executor service called from a client of the same
   * members.
   */
  private static void hazelcastClientAlone(Members members) throws Exception {
    HazelcastInstance client = HazelcastClient.newHazelcastClient(members.client());
    try {
      IExecutorService executor = client.getExecutorService("bench");
      print(
          "IExecutorService alone, client",
          PerTaskCost.measure(i -> executor.submit(new One()), 5, 10));
    } finally {
      client.shutdown();
    }
  }

  private static void print(String name, PerTaskCost cost) {
    System.out.printf(
        "  %-34s round trip %8.1f us   throughput %,9.0f tasks/s%n",
        name, cost.roundTripMicros(), cost.tasksPerSecond());
  }

  /** A trivial task for Hazelcast's own executor. */
  static final class One implements Callable<Integer>, Serializable {
    private static final long serialVersionUID = 1;

    @Override
    public Integer call() {
      return 1;
    }
  }

  private static double cpuBound(Pool pool) {
    try (pool) {
      pool.map(ProcessPoolFigures::burn, IntStream.range(0, 12).boxed().toList()).toList();
      long t = System.nanoTime();
      List<Double> results =
          pool.map(ProcessPoolFigures::burn, IntStream.range(0, CPU_TASKS).boxed().toList())
              .toList();
      if (results.size() != CPU_TASKS) {
        throw new AssertionError(results.size());
      }
      return (System.nanoTime() - t) / 1e9;
    }
  }

  /** Member JVMs of one new cluster on loopback, started one after another so that each joins. */
  record Members(String clusterName, List<Integer> ports, List<Process> processes)
      implements AutoCloseable {
    static Members start(int count) throws IOException, InterruptedException {
      return start(count, List.of());
    }

    /** Starts {@code count} members, each JVM with {@code jvmOptions} too. */
    static Members start(int count, List<String> jvmOptions)
        throws IOException, InterruptedException {
      String clusterName = "bench-" + UUID.randomUUID();
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ports.add(freePort());
      }
      String all = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
      Members members = new Members(clusterName, ports, new ArrayList<>());
      try {
        for (int port : ports) {
          members.processes.add(startMember(clusterName, port, all, jvmOptions));
        }
      } catch (IOException | RuntimeException e) {
        members.close();
        throw e;
      }
      return members;
    }

    ClientConfig client() {
      ClientConfig config = new ClientConfig();
      config.setClusterName(clusterName);
      ports.forEach(p -> config.getNetworkConfig().addAddress("127.0.0.1:" + p));
      return config;
    }

    @Override
    public void close() throws InterruptedException {
      processes.forEach(Process::destroy);
      for (Process process : processes) {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }

    private static Process startMember(
        String clusterName, int port, String members, List<String> jvmOptions) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(arg -> arg.startsWith("--add-") || arg.startsWith("--sun-misc"))
          .forEach(command::add);
      command.addAll(jvmOptions);
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              "io.jfutures.cli.Main",
              "cluster",
              "member",
              "--port",
              Integer.toString(port),
              "--members",
              members,
              "--cluster-name",
              clusterName));
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("Stop it with Ctrl-C.")) {
        // the member's address and the members it found
      }
      if (line == null) {
        throw new IllegalStateException("member on port " + port + " did not start");
      }
      Thread drain =
          new Thread(
              () -> {
                try {
                  out.transferTo(java.io.Writer.nullWriter());
                } catch (IOException gone) {
                  // the member stopped
                }
              });
      drain.setDaemon(true);
      drain.start();
      return process;
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
