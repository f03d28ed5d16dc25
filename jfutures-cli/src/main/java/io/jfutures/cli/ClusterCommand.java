package io.jfutures.cli;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.jfutures.hazelcast.ClusterPool;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jfutures cluster}: the machines of a {@link ClusterPool}. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description =
        "Runs the members of a jfutures cluster (Hazelcast), where ClusterPool tasks run.",
    subcommands = {ClusterCommand.MemberCommand.class},
    synopsisSubcommandLabel = "COMMAND")
final class ClusterCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: member");
  }

  /**
   * What is wrong with a member's address, {@code HOST} or {@code HOST:PORT} ({@code [V6]:PORT} for
   * an IPv6 address with a port), as {@code --members} and {@code images --cluster} take it; null
   * if nothing. The host must resolve here.
   */
  static String addressProblem(String address) {
    String host = address;
    String port = null;
    if (address.startsWith("[") && address.contains("]")) {
      int close = address.indexOf(']');
      host = address.substring(1, close);
      String rest = address.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return "'" + address + "' is not HOST, HOST:PORT or [IPV6]:PORT";
        }
        port = rest.substring(1);
      }
    } else if (address.indexOf(':') >= 0 && address.indexOf(':') == address.lastIndexOf(':')) {
      host = address.substring(0, address.indexOf(':'));
      port = address.substring(address.indexOf(':') + 1);
    }
    if (host.isBlank()) {
      return "'" + address + "' names no host";
    }
    if (port != null) {
      int number;
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        number = -1;
      }
      if (number < 1 || number > 65535) {
        return "'" + address + "': the port must be a number from 1 to 65535";
      }
    }
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return "host '" + host + "' cannot be resolved";
    }
    return null;
  }

  /**
   * {@code jfutures cluster member}: one member, in the foreground until Ctrl-C. It logs who joins
   * and leaves; Hazelcast's own log is turned down to warnings.
   */
  @Command(
      name = "member",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Starts a cluster member that runs ClusterPool tasks, and keeps it running until Ctrl-C.",
        "",
        "It listens on 127.0.0.1 unless --bind says otherwise, and joins only the members it is"
            + " given. Hazelcast's open-source edition has no TLS and no authentication: anyone who"
            + " can reach the port can run code here. Across machines, bind to a private network"
            + " that only the cluster's machines can reach.",
        ""
      })
  static final class MemberCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--port",
        paramLabel = "P",
        description =
            "Port to listen on; fails if it is taken. Default: the first free port from 5701 up.")
    Integer port;

    @Option(
        names = "--members",
        split = ",",
        paramLabel = "HOST[:PORT]",
        description =
            "Members to join, comma-separated; a HOST alone means its ports 5701-5703."
                + " Default: the bind address, so members on one machine find each other"
                + " (none with --bind 0.0.0.0: list the members).")
    List<String> members;

    @Option(
        names = "--cluster-name",
        paramLabel = "NAME",
        defaultValue = ClusterPool.DEFAULT_CLUSTER_NAME,
        description =
            "Only members and clients with this name join (default: ${DEFAULT-VALUE})."
                + " Choose your own.")
    String clusterName;

    @Option(
        names = "--bind",
        paramLabel = "ADDRESS",
        defaultValue = "127.0.0.1",
        description =
            "Address of this machine to listen on; 0.0.0.0 for all (default: ${DEFAULT-VALUE},"
                + " reachable from this machine only).")
    String bind;

    @Option(
        names = "--public-address",
        paramLabel = "HOST:PORT",
        description =
            "The address other members and clients reach this member at, where it differs from"
                + " --bind and --port (behind NAT, a port forward or a proxy). Default: the bind"
                + " address and port.")
    String publicAddress;

    @Option(
        names = {"--classpath", "-cp"},
        paramLabel = "PATH",
        description =
            "Jars and folders holding classes of the programs whose tasks run here, ahead of"
                + " time (without them, a member asks each program for the classes it lacks),"
                + " separated by the platform's path separator (':' on Linux and macOS);"
                + " DIR/* means every jar in DIR.")
    String classpath;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      List<String> join = members != null ? members : defaultMembers();
      Config config;
      try {
        config =
            ClusterPool.memberConfig(
                clusterName, bind, port != null ? port : ClusterPool.DEFAULT_PORT, join);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      checkAddresses(join);
      if (port != null) {
        config.getNetworkConfig().setPortAutoIncrement(false);
      }
      if (publicAddress != null) {
        String problem = addressProblem(publicAddress);
        if (problem == null && !publicAddress.matches(".*:[0-9]+")) {
          problem = "'" + publicAddress + "' names no port; write HOST:PORT";
        }
        if (problem != null) {
          throw usage("--public-address: " + problem);
        }
        config.getNetworkConfig().setPublicAddress(publicAddress);
      }
      if (classpath != null) {
        config.setClassLoader(
            new URLClassLoader(classPathUrls(classpath), MemberCommand.class.getClassLoader()));
      }
      Logger hazelcastLog = Logger.getLogger("com.hazelcast");
      if (hazelcastLog.getLevel() == null) {
        hazelcastLog.setLevel(Level.WARNING);
      }
      HazelcastInstance member;
      try {
        member = Hazelcast.newHazelcastInstance(config);
      } catch (RuntimeException e) {
        spec.commandLine()
            .getErr()
            .println("jfutures: the member could not start: " + e.getMessage());
        return Main.SOME_FAILED;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      member
          .getLifecycleService()
          .addLifecycleListener(
              event -> {
                if (event.getState() == LifecycleState.SHUTDOWN) {
                  stopped.countDown();
                }
              });
      Member self = member.getCluster().getLocalMember();
      out.printf(
          "jfutures cluster member %s:%d in cluster '%s', %s workers; members: %s%n"
              + "Stop it with Ctrl-C.%n",
          self.getAddress().getHost(),
          self.getAddress().getPort(),
          clusterName,
          Runtime.getRuntime().availableProcessors(),
          addresses(member.getCluster().getMembers()));
      member
          .getCluster()
          .addMembershipListener(
              new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                  report("joined", event);
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                  report("left", event);
                }

                private void report(String what, MembershipEvent event) {
                  out.printf(
                      "member %s %s; members: %s%n",
                      address(event.getMember()), what, addresses(event.getMembers()));
                }
              });
      stopped.await();
      return Main.OK;
    }

    /**
     * Refuses, before Hazelcast starts (and logs pages about it), members whose host does not
     * resolve, a bind address that is not this machine's, and a port that is taken.
     */
    private void checkAddresses(List<String> join) {
      for (String member : join) {
        String problem = addressProblem(member);
        if (problem != null) {
          throw usage("--members: " + problem);
        }
      }
      InetAddress address;
      try {
        address = InetAddress.getByName(bind);
      } catch (UnknownHostException e) {
        throw usage("--bind: host '" + bind + "' cannot be resolved");
      }
      try {
        if (!address.isAnyLocalAddress()
            && !address.isLoopbackAddress()
            && NetworkInterface.getByInetAddress(address) == null) {
          throw usage(
              "--bind "
                  + bind
                  + ": not an address of this machine; give one of its own (see 'ip address')"
                  + " or 0.0.0.0");
        }
      } catch (SocketException e) {
        throw usage(
            "--bind " + bind + ": cannot list this machine's addresses (" + e.getMessage() + ")");
      }
      if (port != null) {
        try (ServerSocket probe = new ServerSocket()) {
          probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
          throw usage(
              "--port "
                  + port
                  + " on "
                  + bind
                  + " cannot be used: "
                  + e.getMessage().toLowerCase(java.util.Locale.ROOT)
                  + " (another member or program has it?)");
        }
      }
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private List<String> defaultMembers() {
      return bind.equals("0.0.0.0") ? List.of() : List.of(bind);
    }

    private URL[] classPathUrls(String path) {
      List<URL> urls = new ArrayList<>();
      for (String entry : path.split(File.pathSeparator)) {
        if (entry.isEmpty()) {
          continue;
        }
        if (entry.endsWith(File.separator + "*") || entry.equals("*")) {
          Path dir = Path.of(entry.substring(0, entry.length() - 1));
          if (!Files.isDirectory(dir)) {
            throw badClassPath(entry, "no such folder");
          }
          try (Stream<Path> jars = Files.list(dir)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
              urls.add(url(jar));
            }
          } catch (IOException e) {
            throw badClassPath(entry, e.toString());
          }
        } else {
          Path file = Path.of(entry);
          if (!Files.exists(file)) {
            throw badClassPath(entry, "no such file or folder");
          }
          urls.add(url(file));
        }
      }
      return urls.toArray(URL[]::new);
    }

    private CommandLine.ParameterException badClassPath(String entry, String why) {
      return new CommandLine.ParameterException(
          spec.commandLine(), "--classpath entry '" + entry + "': " + why);
    }

    private static URL url(Path path) {
      try {
        return path.toAbsolutePath().toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException(path + " has no URL", e);
      }
    }

    private static String address(Member member) {
      return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    private static String addresses(Iterable<Member> members) {
      List<String> all = new ArrayList<>();
      members.forEach(m -> all.add(address(m)));
      return String.join(", ", all);
    }
  }
}
