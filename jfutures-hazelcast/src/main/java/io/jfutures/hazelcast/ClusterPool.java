package io.jfutures.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ConnectionRetryConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.jfutures.ForwardingPool;
import io.jfutures.Pool;
import io.jfutures.base.PoolCore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link Pool} whose tasks run on the members of a Hazelcast cluster: the same {@code submit},
 * {@code map}, futures and shutdown as {@link io.jfutures.ThreadPool} and {@link
 * io.jfutures.ProcessPool}, spread over machines.
 *
 * <pre>{@code
 * ClientConfig client = new ClientConfig();
 * client.setClusterName("jobs");
 * client.getNetworkConfig().addAddress("10.0.0.11:5701", "10.0.0.12:5701");
 * try (Pool pool = ClusterPool.connect(client)) {
 *   long sum = pool.map(x -> x * x, numbers).mapToLong(Long::longValue).sum();
 * }
 * }</pre>
 *
 * <p>Three ways in: {@link #embedded()} starts a member inside this JVM, alone, on 127.0.0.1 (for
 * development and tests: no setup at all); {@link #connect} joins a running cluster as a client
 * (members started with {@code jfutures cluster member}, or any Hazelcast 5 cluster with this
 * module on its members' class path: a member asks the client for any class of a task it lacks);
 * {@link #on} uses an instance the program already runs. The first two start their instance and
 * shut it down when the pool ends; the third leaves it to its owner.
 *
 * <p><b>How tasks run.</b> A task is encoded in the submitting thread, as for a {@code ProcessPool}
 * (a task that cannot travel fails its own future with the class named), and sent to a member
 * through Hazelcast's executor service; {@code map} sends chunks, sized from measured task cost and
 * spread over the members: each runs for 20 ms, or longer on a large cluster, so that this one
 * client can send every worker its next chunk in time (about 0.12 ms per worker: 190 ms on 100
 * members of 16 workers). The pool gives each member one task per worker (the {@code
 * jfutures.workers} attribute of members started by {@link #memberConfig}, which is their processor
 * count, else 16) until answers tell what tasks cost, then two per worker, so that a worker never
 * waits a round trip for its next task, or 16 per worker while tasks take under a millisecond; more
 * where the network's round trip is half a millisecond or longer (as many as run in one round trip,
 * up to 256 per worker); it keeps the rest queued, so cancelling a queued task works as on the
 * other pools. A task already handed to a member counts as running, even while it waits there
 * behind another: {@code cancel(false)} no longer stops it, and it is retried (or fails) with the
 * others if that member is lost. Results and exceptions come back as their own classes, exceptions
 * with the member's stack trace (or a {@link io.jfutures.RemoteException} where this JVM lacks the
 * class). {@code cancel(true)} interrupts the task on its member: a member, unlike a worker
 * process, is not killed for one task.
 *
 * <p><b>Faults.</b> When a member dies, leaves or loses its connection while it runs tasks, they
 * run again on other members, up to {@link Builder#retries} times (1 by default), and otherwise
 * fail with {@link io.jfutures.WorkerCrashedException} naming the member. If the instance under the
 * pool shuts down (or a client gives up reconnecting, after 20 seconds unless its configuration
 * says otherwise), the pool is broken: what was waiting fails with {@link
 * io.jfutures.BrokenPoolException}. No future waits forever. {@link
 * io.jfutures.PoolStats#workersStarted()} counts the members the pool has seen, {@link
 * io.jfutures.PoolStats#workersCrashed()} those that left.
 *
 * <p><b>Small machines.</b> Where the JDK's common pool has no parallelism (one or two processors),
 * Hazelcast starts a new thread for every completion callback, two per task. So before {@link
 * #embedded} or {@link #connect} starts its instance there, it gives Hazelcast a cached pool of
 * daemon threads for those callbacks instead: the same semantics, with idle threads reused (it logs
 * this at DEBUG). Hazelcast holds that executor for the whole JVM; a pool {@link #on} the program's
 * own instance never changes it, and neither does any pool when the system property {@code
 * jfutures.hazelcast.completionThreads} is {@code false}.
 *
 * <p><b>Security.</b> Hazelcast's open-source edition has no TLS and no authentication: whoever
 * reaches a member's port can join the cluster or run code on it. Members from {@link
 * #memberConfig} therefore bind to 127.0.0.1 unless told otherwise, join only the members they are
 * given (no multicast, no cloud discovery) and never phone home; across machines, run them on a
 * private network that only the cluster's machines can reach.
 */
public final class ClusterPool extends ForwardingPool {
  /** The cluster name of {@code jfutures cluster member} when none is given. */
  public static final String DEFAULT_CLUSTER_NAME = "jfutures";

  /** The first port a member tries; it moves up while ports are taken. */
  public static final int DEFAULT_PORT = 5701;

  /** How long a client of {@link #connect} tries to reach its cluster when its config is silent. */
  private static final long CONNECT_TIMEOUT_MILLIS = 20_000;

  /** Held so that the level set on it lasts: the JDK keeps loggers only weakly. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  /**
   * @param owned whether the pool shuts {@code instance} down when it ends
   * @param stoppedMessage what waiting tasks fail with if {@code instance} stops under the pool
   */
  private ClusterPool(
      HazelcastInstance instance, boolean owned, int retries, String name, String stoppedMessage) {
    super(core(instance, owned, retries, name, stoppedMessage));
    if (owned) {
      ProgramEndWatch.start(this, instance);
    }
  }

  private static Pool core(
      HazelcastInstance instance, boolean owned, int retries, String name, String stoppedMessage) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return new PoolCore(
        name,
        ClusterTransport.backend(
            name,
            instance,
            owned,
            retries,
            stoppedMessage,
            loader != null ? loader : ClusterPool.class.getClassLoader()));
  }

  /**
   * A pool on a new Hazelcast member inside this JVM: alone, bound to 127.0.0.1, under a cluster
   * name of its own that nothing else shares. Tasks run on this JVM's cores; it is the way to try
   * the cluster API, and to test code that will later {@link #connect}. Hazelcast's own log is
   * turned down to errors (a lone member's warnings are noise) unless the program set a level for
   * {@code com.hazelcast}.
   */
  public static ClusterPool embedded() {
    return builder().embedded();
  }

  /**
   * A pool whose tasks run on the cluster that {@code config} reaches, as a Hazelcast client. The
   * configuration is copied; the copy never phones home, and unless {@code config} sets a cluster
   * connect timeout, gives up after 20 seconds without the cluster. Hazelcast's own log is turned
   * down to warnings (its client logs every connection at INFO) unless the program set a level for
   * {@code com.hazelcast}.
   *
   * @throws IllegalStateException if no member answered within that time
   */
  public static ClusterPool connect(ClientConfig config) {
    return builder().connect(config);
  }

  /** A pool on {@code instance}, a member or client the program runs and shuts down itself. */
  public static ClusterPool on(HazelcastInstance instance) {
    return builder().on(instance);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a cluster pool, then the way it reaches its cluster. */
  public static final class Builder {
    private int retries = 1;

    private Builder() {}

    /**
     * How many times a task whose member was lost runs again on another member before it fails with
     * {@link io.jfutures.WorkerCrashedException}; 1 by default.
     */
    public Builder retries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    /** See {@link ClusterPool#embedded()}. */
    public ClusterPool embedded() {
      Config config =
          memberConfig(
              "jfutures-embedded-" + UUID.randomUUID(), "127.0.0.1", DEFAULT_PORT, List.of());
      config.setClassLoader(Thread.currentThread().getContextClassLoader());
      quietHazelcastLog(Level.SEVERE);
      CompletionThreads.install();
      HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
      String address = localAddress(instance);
      return new ClusterPool(
          instance,
          true,
          retries,
          "ClusterPool[embedded " + address + "]",
          "the pool's embedded Hazelcast member " + address + " shut down");
    }

    /** See {@link ClusterPool#connect(ClientConfig)}. */
    public ClusterPool connect(ClientConfig config) {
      Objects.requireNonNull(config, "config");
      ClientConfig copy = new ClientConfig(config);
      if (copy.getProperty("hazelcast.phone.home.enabled") == null) {
        copy.setProperty("hazelcast.phone.home.enabled", "false");
      }
      ConnectionRetryConfig retry = copy.getConnectionStrategyConfig().getConnectionRetryConfig();
      if (retry.getClusterConnectTimeoutMillis()
          == ConnectionRetryConfig.DEFAULT_CLUSTER_CONNECT_TIMEOUT_MILLIS) {
        retry.setClusterConnectTimeoutMillis(CONNECT_TIMEOUT_MILLIS);
      }
      quietHazelcastLog(Level.WARNING);
      CompletionThreads.install();
      HazelcastInstance client;
      try {
        client = HazelcastClient.newHazelcastClient(copy);
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            "no member of cluster '"
                + copy.getClusterName()
                + "' answered at "
                + copy.getNetworkConfig().getAddresses()
                + " within "
                + retry.getClusterConnectTimeoutMillis()
                + " ms",
            e);
      }
      return new ClusterPool(
          client,
          true,
          retries,
          "ClusterPool[client of '" + copy.getClusterName() + "']",
          "the pool's Hazelcast client of cluster '"
              + copy.getClusterName()
              + "' shut down: it does when no member answers for "
              + retry.getClusterConnectTimeoutMillis()
              + " ms");
    }

    /** See {@link ClusterPool#on(HazelcastInstance)}. */
    public ClusterPool on(HazelcastInstance instance) {
      Objects.requireNonNull(instance, "instance");
      if (!instance.getLifecycleService().isRunning()) {
        throw new IllegalArgumentException(
            "the Hazelcast instance " + instance.getName() + " is not running");
      }
      String name = instance.getName();
      return new ClusterPool(
          instance,
          false,
          retries,
          "ClusterPool[on " + name + "]",
          "the Hazelcast instance " + name + " under this pool shut down");
    }
  }

  /**
   * The configuration of a member that runs jfutures tasks, as {@code jfutures cluster member}
   * starts it: cluster {@code clusterName}, listening on {@code bindAddress} from {@code port} up
   * (the next port when one is taken), joining {@code members} over TCP/IP ({@code "host"} for the
   * default ports of a host, or {@code "host:port"}); no multicast, no cloud discovery, no phone
   * home. An empty {@code members} makes a lone member. It runs as many tasks at once as it has
   * processors, and a lost member is declared dead after 20 seconds without a heartbeat (Hazelcast
   * waits 60). Start it with {@link Hazelcast#newHazelcastInstance(Config)}; the config may be
   * changed first.
   *
   * @param bindAddress an address of this machine to listen on, or {@code 0.0.0.0} for all of them
   * @throws IllegalArgumentException naming what is wrong with the arguments
   */
  public static Config memberConfig(
      String clusterName, String bindAddress, int port, List<String> members) {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(members, "members");
    if (clusterName.isBlank()) {
      throw new IllegalArgumentException("the cluster name is blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, was " + port);
    }
    for (String member : members) {
      checkMemberAddress(member);
    }
    int workers = Runtime.getRuntime().availableProcessors();
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "20");
    config.getJetConfig().setEnabled(false);
    config.getExecutorConfig(ClusterTransport.EXECUTOR).setPoolSize(workers);
    config
        .getMemberAttributeConfig()
        .setAttribute(ClusterTransport.WORKERS_ATTRIBUTE, Integer.toString(workers));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true);
    if (bindAddress.equals("0.0.0.0")) {
      config.setProperty("hazelcast.socket.bind.any", "true");
    } else {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(ipOf(bindAddress));
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(!members.isEmpty()).setMembers(List.copyOf(members));
    return config;
  }

  private static void checkMemberAddress(String member) {
    String host = member;
    int colon = member.lastIndexOf(':');
    if (colon >= 0 && member.indexOf(':') == colon) {
      host = member.substring(0, colon);
      String port = member.substring(colon + 1);
      int number;
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        number = -1;
      }
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException(
            "member address '" + member + "' has a bad port: expected host or host:port");
      }
    }
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "member address '" + member + "' has no host: expected host or host:port");
    }
  }

  private static String ipOf(String address) {
    try {
      return InetAddress.getByName(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "bind address '" + address + "' is not an address of this machine", e);
    }
  }

  /** Sets Hazelcast's log level, unless the program chose one. */
  private static void quietHazelcastLog(Level level) {
    if (HAZELCAST_LOG.getLevel() == null) {
      HAZELCAST_LOG.setLevel(level);
    }
  }

  private static String localAddress(HazelcastInstance instance) {
    return ClusterTransport.addressOf(instance.getCluster().getLocalMember());
  }
}
