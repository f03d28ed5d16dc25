package io.jfutures.cli;

import static io.jfutures.cli.ImagesCommandTest.assertUsage;
import static io.jfutures.cli.ImagesCommandTest.jfutures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hazelcast.client.config.ClientConfig;
import io.jfutures.BrokenPoolException;
import io.jfutures.TaskFuture;
import io.jfutures.WorkerCrashedException;
import io.jfutures.cli.ImagesCommandTest.Run;
import io.jfutures.hazelcast.ClusterPool;
import io.jfutures.testing.Ports;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jfutures cluster member}: a real member JVM that runs a program's tasks. A hang fails
 * after three minutes instead of stopping the build.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterCommandTest {
  @TempDir Path dir;

  /** A member JVM started as {@code jfutures cluster member}, and what it printed so far. */
  record Member(Process process, int port, String clusterName, BufferedReader out)
      implements AutoCloseable {
    /** Reads the member's stdout up to {@code line}, which must come. */
    List<String> readUpTo(String line) throws IOException {
      List<String> lines = new ArrayList<>();
      String read;
      while ((read = out.readLine()) != null && !read.equals(line)) {
        lines.add(read);
      }
      assertThat(read).as("'%s' on the member's stdout; it said %s", line, lines).isNotNull();
      return lines;
    }

    ClientConfig clientConfig() {
      ClientConfig client = new ClientConfig();
      client.setClusterName(clusterName);
      client.getNetworkConfig().addAddress("127.0.0.1:" + port);
      return client;
    }

    @Override
    public void close() throws IOException {
      process.destroyForcibly();
      out.close();
    }
  }

  /** Starts a member whose class path lacks the test classes; its {@code --classpath} has them. */
  static Member startMember() throws IOException {
    return startMember(true);
  }

  /**
   * Starts a member whose class path lacks the test classes; {@code --classpath} gives them if
   * {@code withTestClasses}.
   */
  static Member startMember(boolean withTestClasses) throws IOException {
    return startMember(withTestClasses, "cli-test-" + UUID.randomUUID(), Ports.free(), List.of());
  }

  /**
   * Starts a member as above, of cluster {@code clusterName} on {@code port}, joining {@code
   * members}.
   */
  static Member startMember(
      boolean withTestClasses, String clusterName, int port, List<String> members)
      throws IOException {
    String testClasses =
        ClusterTasks.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    String cliClassPath =
        String.join(
            File.pathSeparator,
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).equals(Path.of(testClasses)))
                .toList());
    List<String> command = ChildJvm.java();
    command.addAll(
        List.of(
            "-cp",
            cliClassPath,
            Main.class.getName(),
            "cluster",
            "member",
            "--port",
            Integer.toString(port),
            "--cluster-name",
            clusterName));
    if (withTestClasses) {
      command.addAll(List.of("--classpath", testClasses));
    }
    if (!members.isEmpty()) {
      command.addAll(List.of("--members", String.join(",", members)));
    }
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    return new Member(
        process,
        port,
        clusterName,
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
  }

  @Test
  void aMemberRunsTasksFromItsClassPath() throws Exception {
    try (Member member = startMember()) {
      List<String> said = member.readUpTo("Stop it with Ctrl-C.");
      assertThat(said)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("jfutures cluster member 127.0.0.1:" + member.port())
                      .contains("in cluster '" + member.clusterName() + "'"));
      try (ClusterPool pool = ClusterPool.connect(member.clientConfig())) {
        String answer = pool.submit(ClusterTasks.whereAmI("hello")).get(60, TimeUnit.SECONDS);
        assertThat(answer)
            .startsWith("hello from " + member.process().pid())
            .endsWith("by URLClassLoader");
      }
      member.process().destroy();
      assertThat(member.process().waitFor(60, TimeUnit.SECONDS))
          .as("the member stops on SIGTERM")
          .isTrue();
    }
  }

  /**
   * Loads the tests' {@code ClusterTasks} classes and resources from its own folder first: a
   * rebuilt version beside the one on the class path.
   */
  private static final class Rebuilt extends java.net.URLClassLoader {
    Rebuilt(Path folder) throws IOException {
      super(
          "rebuilt-" + folder.getFileName(),
          new java.net.URL[] {folder.toUri().toURL()},
          ClusterCommandTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(ClusterTasks.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        return loaded != null ? loaded : findClass(name);
      }
    }

    @Override
    public java.net.URL getResource(String name) {
      java.net.URL own = findResource(name);
      return own != null ? own : super.getResource(name);
    }
  }

  /** ClusterTasks as a folder of its own, whose resource says {@code text}. */
  private static Path version(Path dir, String text) throws IOException {
    Path folder = dir.resolve(text.replace(' ', '-'));
    for (Class<?> type : List.of(ClusterTasks.class, ClusterTasks.Found.class)) {
      String name = type.getName().replace('.', '/') + ".class";
      Path target = folder.resolve(name);
      java.nio.file.Files.createDirectories(target.getParent());
      try (java.io.InputStream in = type.getResourceAsStream("/" + name)) {
        java.nio.file.Files.copy(in, target);
      }
    }
    java.nio.file.Files.writeString(folder.resolve("io/jfutures/cli/client-only.txt"), text);
    return folder;
  }

  @Test
  void twoClientsWithTwoVersionsOfAClassEachRunTheirOwnOnTheSameMember(@TempDir Path dir)
      throws Exception {
    try (Member member = startMember(false)) {
      member.readUpTo("Stop it with Ctrl-C.");
      List<String> seen = new ArrayList<>();
      for (String text : List.of("version one", "version two")) {
        try (Rebuilt loader = new Rebuilt(version(dir, text));
            ClusterPool pool = ClusterPool.connect(member.clientConfig())) {
          java.lang.reflect.Method read =
              loader.loadClass(ClusterTasks.class.getName()).getDeclaredMethod("readOwnResource");
          read.setAccessible(true);
          io.jfutures.Task<?> task = (io.jfutures.Task<?>) read.invoke(null);
          seen.add(pool.submit(task).get(60, TimeUnit.SECONDS).toString());
        }
      }
      assertThat(seen).containsExactly("Found[text=version one]", "Found[text=version two]");
    }
  }

  @Test
  void threeMembersWithoutTheProgramShareAMapOverARecordOfTheClientsOwn() throws Exception {
    String clusterName = "cli-test-" + UUID.randomUUID();
    int base = Ports.freeRun(3);
    List<String> addresses =
        List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2));
    List<Member> members = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        members.add(startMember(false, clusterName, base + i, addresses));
      }
      for (Member member : members) {
        member.readUpTo("Stop it with Ctrl-C.");
      }
      try (ClusterPool pool = ClusterPool.connect(members.get(0).clientConfig())) {
        // The members may still be forming their cluster: no event of the pool says when.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pool.stats().workersStarted() < 3 && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(20);
        }
        assertThat(pool.stats().workersStarted()).isEqualTo(3);
        List<ClusterTasks.Found> found =
            pool.map(
                    ClusterTasks::squareWhere,
                    java.util.stream.IntStream.range(0, 60).boxed().toList(),
                    io.jfutures.MapOptions.defaults().chunkSize(1))
                .toList();
        assertThat(found).hasSize(60);
        assertThat(found.get(7).text()).endsWith(":49");
        java.util.Set<String> pids = new java.util.HashSet<>();
        for (ClusterTasks.Found f : found) {
          pids.add(f.text().substring(0, f.text().indexOf(':')));
        }
        java.util.Set<String> memberPids = new java.util.HashSet<>();
        for (Member member : members) {
          memberPids.add(Long.toString(member.process().pid()));
        }
        assertThat(pids).isEqualTo(memberPids);
      }
    } finally {
      for (Member member : members) {
        member.close();
      }
    }
  }

  @Test
  void aMemberWithoutTheProgramRunsItsTasksWithClassesAndResourcesAskedOfTheClient()
      throws Exception {
    try (Member member = startMember(false)) {
      member.readUpTo("Stop it with Ctrl-C.");
      try (ClusterPool pool = ClusterPool.connect(member.clientConfig())) {
        String answer = pool.submit(ClusterTasks.whereAmI("hello")).get(60, TimeUnit.SECONDS);
        assertThat(answer)
            .startsWith("hello from " + member.process().pid())
            .endsWith("by MemberClassLoader");
        ClusterTasks.Found found =
            pool.submit(ClusterTasks.readOwnResource()).get(60, TimeUnit.SECONDS);
        assertThat(found.text()).isEqualTo("a resource only the client has");
        assertThat(
                pool.map(ClusterTasks::square, java.util.List.of(1, 2, 3))
                    .map(ClusterTasks.Found::text)
                    .toList())
            .containsExactly("1", "4", "9");
      }
    }
  }

  @Test
  void whenTheWholeClusterDiesEveryFutureEnds() throws Exception {
    try (Member member = startMember()) {
      member.readUpTo("Stop it with Ctrl-C.");
      ClientConfig client = member.clientConfig();
      client
          .getConnectionStrategyConfig()
          .getConnectionRetryConfig()
          .setClusterConnectTimeoutMillis(2_000);
      try (ClusterPool pool = ClusterPool.connect(client)) {
        TaskFuture<String> running = pool.submit(ClusterTasks.announceAndSleep("sleeping"));
        member.readUpTo("sleeping");
        member.process().destroyForcibly();
        member.process().waitFor();

        Throwable failure =
            catchThrowableOfType(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
        // Which comes first, the member's loss or the client's end, is the client's to say.
        assertThat(failure.getCause())
            .isInstanceOfAny(WorkerCrashedException.class, BrokenPoolException.class);
        assertThat(failure.getCause().getMessage())
            .containsAnyOf(
                "127.0.0.1:" + member.port(), "client of cluster '" + member.clusterName() + "'");
        // A broken pool refuses new tasks; one that slipped in before it broke fails.
        Throwable later =
            catchThrowable(
                () -> pool.submit(ClusterTasks.whereAmI("anyone?")).get(60, TimeUnit.SECONDS));
        if (later instanceof ExecutionException) {
          later = later.getCause();
        }
        assertThat(later)
            .isInstanceOf(BrokenPoolException.class)
            .hasMessage(
                "the pool's Hazelcast client of cluster '%s' shut down: it does when no member"
                    + " answers for 2000 ms",
                member.clusterName());
      }
    }
  }

  @Test
  void badUsageSaysWhatWasWrong() throws IOException {
    assertUsage(jfutures("cluster"), "a command is required: member");
    assertUsage(
        jfutures("cluster", "member", "--classpath", dir.resolve("missing.jar").toString()),
        "--classpath entry '" + dir.resolve("missing.jar") + "': no such file or folder");
    assertUsage(
        jfutures("cluster", "member", "--classpath", dir.resolve("none") + File.separator + "*"),
        "no such folder");
    assertUsage(
        jfutures("cluster", "member", "--members", "10.0.0.1:http"),
        "member address '10.0.0.1:http' has a bad port");
    assertUsage(jfutures("cluster", "member", "--port", "0"), "port must be in 1..65535, was 0");
    assertUsage(jfutures("cluster", "member", "--cluster-name", " "), "the cluster name is blank");
    assertUsage(jfutures("cluster", "member", "--port", "x"), "--port");
  }

  @Test
  void badAddressesArePlainUsageErrorsNotHazelcastLogs() throws IOException {
    var unresolvable = jfutures("cluster", "member", "--members", "no-such-host.invalid:5701");
    assertUsage(unresolvable, "--members: host 'no-such-host.invalid' cannot be resolved");
    assertUsage(
        jfutures("cluster", "member", "--public-address", "10.0.0.1"),
        "--public-address: '10.0.0.1' names no port; write HOST:PORT");
    assertUsage(
        jfutures("cluster", "member", "--public-address", "no-such-host.invalid:5701"),
        "--public-address: host 'no-such-host.invalid' cannot be resolved");

    // TEST-NET-3 (RFC 5737): never an address of this machine.
    var foreign = jfutures("cluster", "member", "--bind", "203.0.113.7");
    assertUsage(foreign, "--bind 203.0.113.7: not an address of this machine");
    assertThat(foreign.err()).doesNotContain("SEVERE").doesNotContain("\tat ");

    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      var busy = jfutures("cluster", "member", "--port", Integer.toString(taken.getLocalPort()));
      assertUsage(busy, "--port " + taken.getLocalPort() + " on 127.0.0.1 cannot be used");
      assertThat(busy.err()).doesNotContain("SEVERE").doesNotContain("\tat ");
    }
  }

  @Test
  void helpSaysWhatIsNotProtected() {
    Run cluster = jfutures("cluster", "--help");
    assertThat(cluster.code()).isZero();
    assertThat(cluster.out()).contains("Usage: jfutures cluster", "member");
    Run member = jfutures("cluster", "member", "--help");
    assertThat(member.code()).isZero();
    assertThat(member.out())
        .contains("--port=P", "--members=HOST[:PORT]", "--cluster-name=NAME", "--bind=ADDRESS");
    assertThat(member.out().replaceAll("\\s+", " "))
        .contains("no TLS and no authentication: anyone who can reach the port can run code here");
  }
}
