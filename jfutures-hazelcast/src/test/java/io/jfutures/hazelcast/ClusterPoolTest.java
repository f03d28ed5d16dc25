package io.jfutures.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.jfutures.BrokenPoolException;
import io.jfutures.DoneAndPending;
import io.jfutures.Futures;
import io.jfutures.MapOptions;
import io.jfutures.ReturnWhen;
import io.jfutures.Task;
import io.jfutures.TaskFailedException;
import io.jfutures.TaskFuture;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ClusterPool on an embedded member: the Pool contract, failures, cancellation and shutdown. */
class ClusterPoolTest {
  private static ClusterPool shared;

  @BeforeAll
  static void start() {
    shared = ClusterPool.embedded();
  }

  @AfterAll
  static void stop() {
    shared.close();
  }

  /** A task that is a class, not a lambda: it travels by JDK serialization. */
  record Multiply(int a, int b) implements Task<Integer> {
    @Override
    public Integer call() {
      return a * b;
    }
  }

  @Test
  void valuesOfEveryKindComeBack() {
    assertThat(shared.submit(() -> "text " + 42).result()).isEqualTo("text 42");
    assertThat(shared.submit(() -> null).result()).isNull();
    assertThat(shared.submit(() -> new long[] {1, 2, 3}).result()).containsExactly(1, 2, 3);
    assertThat(shared.submit(() -> List.of("a", "b")).result()).containsExactly("a", "b");
    assertThat(shared.submit(new Multiply(6, 7)).result()).isEqualTo(42);
    String name = shared.submit(() -> Thread.currentThread().getName()).result();
    assertThat(name).startsWith("hz.");
  }

  @Test
  void anExceptionArrivesAsItsOwnClassWithTheMembersStackTrace() {
    TaskFuture<Integer> f =
        shared.submit(
            () -> {
              throw new IllegalArgumentException("Bad number!");
            });
    Throwable e = f.exception();
    assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage("Bad number!");
    assertThat(e.getStackTrace())
        .anySatisfy(frame -> assertThat(frame.getClassName()).endsWith("RemoteCall"));
    assertThatThrownBy(f::result).isInstanceOf(TaskFailedException.class).hasCause(e);
  }

  @Test
  void mapKeepsInputOrderOverManyChunks() {
    List<Long> squares =
        shared
            .<Integer, Long>map(x -> (long) x * x, IntStream.range(0, 200_000).boxed().toList())
            .toList();
    assertThat(squares).hasSize(200_000);
    for (int i = 0; i < squares.size(); i += 997) {
      assertThat(squares.get(i)).isEqualTo((long) i * i);
    }
    Set<Integer> unordered =
        shared
            .<Integer, Integer>map(
                x -> x + 1,
                IntStream.range(0, 10_000).boxed().toList(),
                MapOptions.defaults().unordered().chunkSize(100))
            .collect(Collectors.toSet());
    assertThat(unordered)
        .isEqualTo(IntStream.rangeClosed(1, 10_000).boxed().collect(Collectors.toSet()));
  }

  @Test
  void aFailedElementEndsTheMapStream() {
    Stream<Integer> results =
        shared.map(
            x -> {
              if (x == 500) {
                throw new IllegalStateException("no 500");
              }
              return x;
            },
            IntStream.range(0, 1_000).boxed().toList(),
            MapOptions.defaults().chunkSize(50));
    assertThatThrownBy(results::toList)
        .isInstanceOf(TaskFailedException.class)
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("no 500");
  }

  @Test
  void asCompletedAndWaitForSeeEveryFuture() {
    List<TaskFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      int n = i;
      futures.add(shared.submit(() -> n * 2));
    }
    Set<Integer> seen = new HashSet<>();
    for (TaskFuture<Integer> f : Futures.asCompleted(futures)) {
      seen.add(f.result());
    }
    assertThat(seen).hasSize(50).contains(0, 98);
    DoneAndPending<TaskFuture<Integer>> all =
        Futures.waitFor(futures, Duration.ofSeconds(30), ReturnWhen.ALL_COMPLETED);
    assertThat(all.done()).hasSize(50);
    assertThat(all.pending()).isEmpty();
  }

  @Test
  void callbacksRunOnThePoolsThreadsNotHazelcasts() throws Exception {
    CountDownLatch called = new CountDownLatch(1);
    String[] thread = new String[1];
    shared
        .submit(() -> 1)
        .onDone(
            f -> {
              thread[0] = Thread.currentThread().getName();
              called.countDown();
            });
    assertThat(called.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(thread[0]).doesNotStartWith("hz.");
  }

  static final CountDownLatch sleeperStarted = new CountDownLatch(1);
  static final CountDownLatch sleeperInterrupted = new CountDownLatch(1);

  @Test
  void cancelTrueInterruptsTheTaskOnItsMember() throws Exception {
    TaskFuture<Integer> f =
        shared.submit(
            () -> {
              sleeperStarted.countDown();
              try {
                Thread.sleep(600_000);
              } catch (InterruptedException e) {
                sleeperInterrupted.countDown();
              }
              return 1;
            });
    assertThat(sleeperStarted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(f.isRunning()).isTrue();
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThat(sleeperInterrupted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(shared.submit(() -> 3).result()).isEqualTo(3);
  }

  static final CountDownLatch release = new CountDownLatch(1);

  @Test
  void aQueuedTaskCanBeCancelledWhileEveryWorkerIsBusy() throws Exception {
    try (ClusterPool pool = ClusterPool.embedded()) {
      // Until the first answer tells what tasks cost, a member is handed one per worker.
      int handed = pool.maxWorkers();
      List<TaskFuture<Boolean>> blockers = new ArrayList<>();
      try {
        for (int i = 0; i < handed; i++) {
          blockers.add(pool.submit(() -> release.await(60, TimeUnit.SECONDS)));
        }
        TaskFuture<Integer> queued = pool.submit(() -> 7);
        assertThat(blockers.getLast().isRunning()).isTrue();
        assertThat(queued.isRunning()).isFalse();
        assertThat(queued.cancel(false)).isTrue();
        assertThat(pool.stats().cancelled()).isEqualTo(1);
      } finally {
        release.countDown();
      }
      for (TaskFuture<Boolean> blocker : blockers) {
        assertThat(blocker.result()).isTrue();
      }
      assertThat(pool.stats().completed()).isEqualTo(handed);
      assertThat(pool.stats().workersStarted()).isEqualTo(1);
    }
  }

  static final CountDownLatch bundledStarted = new CountDownLatch(1);
  static final CountDownLatch bundledRelease = new CountDownLatch(1);

  /**
   * Once tasks prove short, a burst travels in bundles: the member's executor runs far fewer
   * requests than there are tasks, and each task still answers its own future. Cancelling a task
   * that travels in a bundle cancels its future at once and drops its answer alone.
   */
  @Test
  void shortTasksTravelInBundlesEachAnsweringItsOwnFuture() throws Exception {
    HazelcastInstance member =
        Hazelcast.newHazelcastInstance(
            ClusterPool.memberConfig(
                "bundle-test-" + System.nanoTime(), "127.0.0.1", 5701, List.of()));
    try (ClusterPool pool = ClusterPool.on(member)) {
      assertThat(pool.submit(() -> 0).result()).isZero();
      IExecutorService executor = member.getExecutorService(ClusterTransport.EXECUTOR);
      long requestsBefore = executor.getLocalExecutorStats().getCompletedTaskCount();

      int tasks = 20_000;
      int blocked = tasks / 2;
      List<TaskFuture<Integer>> futures = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        int n = i;
        futures.add(
            i == blocked
                ? pool.submit(
                    () -> {
                      bundledStarted.countDown();
                      bundledRelease.await(60, TimeUnit.SECONDS);
                      return -1;
                    })
                : pool.submit(() -> n * 2));
      }
      assertThat(bundledStarted.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(futures.get(blocked).cancel(true)).isTrue();
      assertThat(futures.get(blocked).isCancelled()).isTrue();
      bundledRelease.countDown();
      for (int i = 0; i < tasks; i++) {
        if (i != blocked) {
          assertThat(futures.get(i).result()).isEqualTo(i * 2);
        }
      }

      long requests = executor.getLocalExecutorStats().getCompletedTaskCount() - requestsBefore;
      assertThat(requests).isPositive().isLessThan(tasks / 4);
      assertThat(pool.stats().completed()).isEqualTo(tasks);
      assertThat(pool.stats().cancelled()).isEqualTo(1);
      assertThat(pool.submit(() -> 3).result()).isEqualTo(3);
    } finally {
      bundledRelease.countDown();
      member.shutdown();
    }
  }

  @Test
  void tasksDoNotStartThreadsOfTheirOwn() {
    // On a machine of one or two processors, Hazelcast alone would start two threads per task.
    try (ClusterPool pool = ClusterPool.embedded()) {
      pool.submit(() -> 1).result();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long before = threads.getTotalStartedThreadCount();
      List<TaskFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        int x = i;
        futures.add(pool.submit(() -> x));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).result()).isEqualTo(i);
      }
      assertThat(threads.getTotalStartedThreadCount() - before).isLessThan(200);
    }
  }

  @Test
  void closeWaitsForTasksThenShutsTheEmbeddedMemberDown() {
    int before = Hazelcast.getAllHazelcastInstances().size();
    ClusterPool pool = ClusterPool.embedded();
    assertThat(Hazelcast.getAllHazelcastInstances()).hasSize(before + 1);
    TaskFuture<String> slow =
        pool.submit(
            () -> {
              Thread.sleep(300);
              return "finished";
            });
    pool.close();
    assertThat(slow.isDone()).isTrue();
    assertThat(slow.result()).isEqualTo("finished");
    assertThat(Hazelcast.getAllHazelcastInstances()).hasSize(before);
    assertThat(pool.isShutdown()).isTrue();
    assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    pool.shutdown(true, true);
  }

  @Test
  void aPoolOnAnInstanceLeavesItRunningAndBreaksIfItStops() throws Exception {
    HazelcastInstance member =
        Hazelcast.newHazelcastInstance(
            ClusterPool.memberConfig("on-test-" + System.nanoTime(), "127.0.0.1", 5701, List.of()));
    try {
      try (ClusterPool pool = ClusterPool.on(member)) {
        assertThat(pool.submit(() -> 5).result()).isEqualTo(5);
      }
      assertThat(member.getLifecycleService().isRunning()).isTrue();

      ClusterPool pool = ClusterPool.on(member);
      TaskFuture<Integer> stuck = pool.submit(() -> waitForever());
      assertThat(stuck.isRunning()).isTrue();
      member.getLifecycleService().terminate();
      assertThat(stuck.exception(Duration.ofSeconds(30))).isInstanceOf(BrokenPoolException.class);
      assertThatThrownBy(() -> pool.submit(() -> 1))
          .isInstanceOf(BrokenPoolException.class)
          .hasMessageContaining("shut down");
      pool.close();
    } finally {
      member.getLifecycleService().terminate();
      releaseForever = true;
    }
    assertThatThrownBy(() -> ClusterPool.on(member))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not running");
  }

  static volatile boolean releaseForever;

  /** Blocks until the test lets go, through interrupts too: a member's thread stuck in a task. */
  static int waitForever() {
    while (!releaseForever) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
    return 0;
  }

  @Test
  void theEmbeddedMemberListensOnLoopbackOnly() throws Exception {
    HazelcastInstance member =
        Hazelcast.getAllHazelcastInstances().stream()
            .filter(h -> h.getConfig().getClusterName().startsWith("jfutures-embedded-"))
            .findFirst()
            .orElseThrow();
    Address address = member.getCluster().getLocalMember().getAddress();
    assertThat(address.getHost()).isEqualTo("127.0.0.1");
    assertThat(member.getConfig().getNetworkConfig().getJoin().getMulticastConfig().isEnabled())
        .isFalse();
    try (Socket loopback = new Socket()) {
      loopback.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5_000);
    }
    for (InetAddress other : nonLoopbackAddresses()) {
      try (Socket outside = new Socket()) {
        assertThatThrownBy(
                () -> outside.connect(new InetSocketAddress(other, address.getPort()), 5_000))
            .as("port %d on %s", address.getPort(), other)
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  private static List<InetAddress> nonLoopbackAddresses() throws Exception {
    List<InetAddress> found = new ArrayList<>();
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (nic.isUp() && !nic.isLoopback()) {
        nic.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(found::add);
      }
    }
    return found;
  }

  @Test
  void statsCountTasksAndTheMember() {
    TaskFuture<Integer> failing =
        shared.submit(
            () -> {
              throw new IllegalStateException("counted");
            });
    failing.exception();
    assertThat(shared.stats().failed()).isPositive();
    assertThat(shared.stats().completed()).isPositive();
    assertThat(shared.stats().workersStarted()).isEqualTo(1);
    assertThat(shared.stats().workersCrashed()).isZero();
    assertThat(shared.maxWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void badSettingsAreRefusedWithWhatWasWrong() {
    assertThatThrownBy(() -> ClusterPool.builder().retries(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retries must be >= 0, was -1");
    assertThatThrownBy(() -> ClusterPool.memberConfig(" ", "127.0.0.1", 5701, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster name");
    assertThatThrownBy(() -> ClusterPool.memberConfig("c", "127.0.0.1", 70000, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port must be in 1..65535, was 70000");
    assertThatThrownBy(
            () -> ClusterPool.memberConfig("c", "127.0.0.1", 5701, List.of("10.0.0.1:http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'10.0.0.1:http'");
    assertThatThrownBy(() -> ClusterPool.memberConfig("c", "no-such-host.invalid", 5701, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'no-such-host.invalid'");
  }
}
