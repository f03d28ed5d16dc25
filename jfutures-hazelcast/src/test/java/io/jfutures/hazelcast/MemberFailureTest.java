package io.jfutures.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.MapOptions;
import io.jfutures.TaskFuture;
import io.jfutures.WorkerCrashedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Three member JVMs on loopback, one killed with -9 while 2,000 tasks run: every future resolves;
 * with retries every task succeeds, without them the killed member's tasks fail naming it. A map
 * spreads its chunks over every member and keeps its order through a kill.
 */
class MemberFailureTest {
  private static final int TASKS = 2_000;

  /**
   * Submits the tasks, kills member {@code victim} once some have finished, returns the futures.
   */
  private static List<TaskFuture<Integer>> runAndKill(
      ClusterPool pool, LocalCluster cluster, int victim) throws Exception {
    CountDownLatch someDone = new CountDownLatch(TASKS / 10);
    List<TaskFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      int n = i;
      futures.add(
          pool.<Integer>submit(
                  () -> {
                    Thread.sleep(5);
                    return n;
                  })
              .onDone(f -> someDone.countDown()));
    }
    assertThat(someDone.await(60, TimeUnit.SECONDS)).isTrue();
    Process member = cluster.members.get(victim);
    member.destroyForcibly();
    assertThat(member.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (TaskFuture<Integer> f : futures) {
      f.exception(Duration.ofSeconds(120));
    }
    return futures;
  }

  @Test
  void withRetriesEveryTaskSucceedsAfterKillMinus9OfAMember() throws Exception {
    try (LocalCluster cluster = new LocalCluster(3);
        ClusterPool pool = ClusterPool.connect(cluster.client())) {
      assertThat(pool.stats().workersStarted()).isEqualTo(3);
      List<TaskFuture<Integer>> futures = runAndKill(pool, cluster, 1);
      for (int i = 0; i < TASKS; i++) {
        assertThat(futures.get(i).result()).isEqualTo(i);
      }
      assertThat(pool.stats().completed()).isEqualTo(TASKS);
      assertThat(pool.submit(() -> "still serving").result()).isEqualTo("still serving");
    }
  }

  @Test
  void withoutRetriesTheKilledMembersTasksFailNamingIt() throws Exception {
    try (LocalCluster cluster = new LocalCluster(3);
        ClusterPool pool = ClusterPool.builder().retries(0).connect(cluster.client())) {
      List<TaskFuture<Integer>> futures = runAndKill(pool, cluster, 2);
      int crashed = 0;
      for (int i = 0; i < TASKS; i++) {
        TaskFuture<Integer> f = futures.get(i);
        if (f.exception() == null) {
          assertThat(f.result()).isEqualTo(i);
        } else {
          assertThat(f.exception())
              .isInstanceOf(WorkerCrashedException.class)
              .hasMessageContaining("127.0.0.1:" + cluster.ports.get(2));
          crashed++;
        }
      }
      assertThat(crashed).isPositive();
      assertThat(pool.stats().failed()).isEqualTo(crashed);
      assertThat(pool.submit(() -> "still serving").result()).isEqualTo("still serving");
    }
  }

  @Test
  void mapSpreadsItsChunksOverEveryMemberAndSurvivesAKill() throws Exception {
    try (LocalCluster cluster = new LocalCluster(3);
        ClusterPool pool = ClusterPool.connect(cluster.client())) {
      List<Integer> inputs = IntStream.range(0, 3_000).boxed().toList();
      Set<Long> pids = new HashSet<>();
      Iterator<long[]> results =
          pool.map(
                  (Integer n) -> {
                    Thread.sleep(2);
                    return new long[] {n, ProcessHandle.current().pid()};
                  },
                  inputs,
                  MapOptions.defaults().chunkSize(10))
              .iterator();
      Process victim = cluster.members.get(0);
      for (int i = 0; i < inputs.size(); i++) {
        if (i == 600) {
          victim.destroyForcibly();
          assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long[] result = results.next();
        assertThat(result[0]).isEqualTo(i);
        pids.add(result[1]);
      }
      assertThat(results.hasNext()).isFalse();
      assertThat(pids)
          .containsExactlyInAnyOrderElementsOf(cluster.members.stream().map(Process::pid).toList());
    }
  }
}
