package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.testing.ChildJvm;
import io.jfutures.testing.NamedSleep;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pools as the JDK's own tools see them: flight-recorder events, and an MXBean per pool. */
class ObservabilityTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static List<RecordedEvent> record(Path dir, ThrowingAction work) throws Exception {
    Path file = dir.resolve("pools.jfr");
    try (Recording recording = new Recording()) {
      for (String event : List.of("TaskSubmitted", "TaskRan", "WorkerStarted", "WorkerEnded")) {
        recording.enable("io.jfutures." + event).withoutThreshold();
      }
      recording.start();
      work.run();
      recording.stop();
      recording.dump(file);
    }
    return RecordingFile.readAllEvents(file);
  }

  private interface ThrowingAction {
    void run() throws Exception;
  }

  private static List<RecordedEvent> ofType(List<RecordedEvent> events, String type) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals("io.jfutures." + type))
        .toList();
  }

  @Test
  void aRecordingShowsAProcessPoolsTasksChunksAndWorkersAsATimeline(@TempDir Path dir)
      throws Exception {
    String[] poolName = new String[1];
    List<RecordedEvent> events =
        record(
            dir,
            () -> {
              try (ProcessPool pool =
                  ProcessPool.builder().maxWorkers(2).taskTimeout(Duration.ofSeconds(2)).build()) {
                poolName[0] = pool.insights().pool();
                assertThat(pool.submit(new NamedSleep(20)).result(WAIT)).isEqualTo("slept");
                assertThat(
                        pool.map((Integer n) -> n * 2, IntStream.range(0, 1000).boxed().toList())
                            .count())
                    .isEqualTo(1000);
                assertThat(pool.submit(new NamedSleep(60_000)).exception())
                    .isInstanceOf(TaskTimeoutException.class);
              }
            });
    List<RecordedEvent> ran = ofType(events, "TaskRan");
    assertThat(ran).allSatisfy(e -> assertThat(e.getString("pool")).isEqualTo(poolName[0]));
    RecordedEvent sleep =
        ran.stream()
            .filter(e -> e.getString("task").equals("NamedSleep[millis=20]"))
            .findFirst()
            .orElseThrow();
    assertThat(sleep.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
    assertThat(sleep.getString("worker")).startsWith(poolName[0] + "-worker-");
    assertThat(ran.stream().mapToInt(e -> e.getInt("inputs")).sum())
        .as("every map input ran in some chunk, plus the sleep")
        .isEqualTo(1001);
    assertThat(ran).anySatisfy(e -> assertThat(e.getString("task")).startsWith("map chunk of "));
    assertThat(ofType(events, "TaskSubmitted")).hasSizeGreaterThanOrEqualTo(3);
    List<RecordedEvent> started = ofType(events, "WorkerStarted");
    assertThat(started).isNotEmpty();
    assertThat(started).allSatisfy(e -> assertThat(e.getDuration()).isPositive());
    Set<String> reasons =
        ofType(events, "WorkerEnded").stream()
            .map(e -> e.getString("reason"))
            .collect(Collectors.toSet());
    assertThat(reasons).contains("killed for a task timeout", "retired");
  }

  @Test
  void aRecordingShowsAThreadPoolsTasks(@TempDir Path dir) throws Exception {
    List<RecordedEvent> events =
        record(
            dir,
            () -> {
              try (ThreadPool pool = ThreadPool.create(2)) {
                assertThat(pool.submit(new NamedSleep(10)).result(WAIT)).isEqualTo("slept");
              }
            });
    assertThat(ofType(events, "TaskRan"))
        .anySatisfy(
            e -> {
              assertThat(e.getString("task")).isEqualTo("NamedSleep[millis=10]");
              assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(10));
            });
    assertThat(ofType(events, "WorkerStarted")).isNotEmpty();
    assertThat(ofType(events, "WorkerEnded"))
        .anySatisfy(e -> assertThat(e.getString("reason")).isEqualTo("retired"));
  }

  @Test
  void everyPoolIsAnMXBeanUntilItIsShutDown() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name;
    try (ProcessPool pool = ProcessPool.create(1)) {
      for (int i = 0; i < 3; i++) {
        pool.submit(() -> 1).result(WAIT);
      }
      name =
          new ObjectName("io.jfutures:type=Pool,name=" + ObjectName.quote(pool.insights().pool()));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!server.isRegistered(name)) {
        assertThat(System.nanoTime()).as("registered in time").isLessThan(deadline);
        Thread.sleep(20);
      }
      PoolMXBean bean = JMX.newMXBeanProxy(server, name, PoolMXBean.class);
      assertThat(bean.getName()).isEqualTo(pool.insights().pool());
      assertThat(bean.getSubmitted()).isEqualTo(3);
      assertThat(bean.getCompleted()).isEqualTo(3);
      assertThat(bean.getMaxWorkers()).isEqualTo(1);
      assertThat(bean.isShutdown()).isFalse();
      assertThat(bean.getInsights()).contains("worker-0", "restarts");
      assertThat(server.getAttribute(name, "WorkersStarted")).isEqualTo(1L);
    }
    assertThat(server.isRegistered(name)).as("gone after close").isFalse();
  }

  @Test
  void aPoolNeverStartsJmxButAppearsOnceSomethingDoes() throws Exception {
    ChildJvm.Run run = ChildJvm.run(Duration.ofSeconds(60), JmxMain.class);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("jmx started by the pool: false", "registered: true", "completed: 1");
  }
}
