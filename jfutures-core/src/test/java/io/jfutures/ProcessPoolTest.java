package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcessPool with real worker processes: results, failures, crashes, timeouts, limits. */
class ProcessPoolTest {
  private static ProcessPool shared;

  @BeforeAll
  static void start() {
    shared = ProcessPool.create(2);
  }

  @AfterAll
  static void stop() {
    shared.close();
  }

  private static long pid() {
    return ProcessHandle.current().pid();
  }

  @Test
  void tasksRunInAnotherProcess() {
    long here = pid();
    long there = shared.submit(ProcessPoolTest::pid).result();
    assertThat(there).isNotEqualTo(here);
    assertThat(shared.submit(() -> "text " + 42).result()).isEqualTo("text 42");
    assertThat(shared.submit(() -> null).result()).isNull();
    assertThat(shared.submit(() -> new int[] {1, 2, 3}).result()).containsExactly(1, 2, 3);
    assertThat(shared.submit(() -> List.of("a", "b")).result()).containsExactly("a", "b");
  }

  @Test
  void valuesOfEveryCompactKindComeBackEqual() {
    assertThat(shared.submit(() -> Long.MIN_VALUE).result()).isEqualTo(Long.MIN_VALUE);
    assertThat(shared.submit(() -> -0.0).result()).isEqualTo(-0.0);
    assertThat(shared.submit(() -> Double.NaN).result()).isNaN();
    assertThat(shared.submit(() -> true).result()).isTrue();
    assertThat(shared.submit(() -> "ÿ € 𝄞").result()).isEqualTo("ÿ € 𝄞");
    assertThat(shared.submit(() -> new byte[] {-1, 0, 7}).result()).containsExactly(-1, 0, 7);
    assertThat(shared.submit(() -> new long[] {Long.MAX_VALUE, -2}).result())
        .containsExactly(Long.MAX_VALUE, -2);
    assertThat(shared.submit(() -> new double[] {1.5, Double.NEGATIVE_INFINITY}).result())
        .containsExactly(1.5, Double.NEGATIVE_INFINITY);
    List<Integer> inputs = IntStream.range(-500, 500).boxed().toList();
    assertThat(shared.map(i -> i * 0.5, inputs).toList())
        .isEqualTo(inputs.stream().map(i -> i * 0.5).toList());
    assertThat(shared.map(i -> "n" + i, inputs).toList())
        .isEqualTo(inputs.stream().map(i -> "n" + i).toList());
    assertThat(shared.map(i -> List.of(i), inputs).toList())
        .isEqualTo(inputs.stream().map(List::of).toList());
    assertThat(shared.map(s -> s.length(), List.of("", "é", "long text")).toList())
        .containsExactly(0, 1, 9);
  }

  /** A task that is a plain class, not a lambda: it travels by JDK serialization. */
  record Multiply(int a, int b) implements Task<Integer> {
    @Override
    public Integer call() {
      return a * b;
    }
  }

  /** A map function that is a plain class. */
  static final class PlusOne implements Fn<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(Integer x) {
      return x + 1;
    }
  }

  @Test
  void tasksThatAreNotLambdasAndLambdasCapturingObjectsTravelToo() {
    assertThat(shared.submit(new Multiply(6, 7)).result()).isEqualTo(42);
    Multiply captured = new Multiply(3, 5);
    java.util.Map<String, Integer> table = new java.util.HashMap<>(java.util.Map.of("k", 9));
    assertThat(shared.submit(() -> captured.call() + table.get("k")).result()).isEqualTo(24);
    assertThat(shared.map(new PlusOne(), List.of(1, 2, 3)).toList()).containsExactly(2, 3, 4);
  }

  @Test
  void anExceptionArrivesAsItsOwnClassWithTheWorkersStackTrace() {
    TaskFuture<Integer> f =
        shared.submit(
            () -> {
              throw new IllegalArgumentException("Bad number!");
            });
    Throwable e = f.exception();
    assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage("Bad number!");
    assertThat(e.getStackTrace())
        .anySatisfy(frame -> assertThat(frame.getClassName()).contains("WorkerMain"));
    assertThatThrownBy(f::result).isInstanceOf(TaskFailedException.class).hasCause(e);
  }

  @Test
  void aResultTooBigForAFrameFailsOnlyThatFutureAndSaysSo() {
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).jvmOptions("-Xmx4g").build()) {
      // 2.16 GB: more than one array, and so one frame, can hold.
      TaskFuture<int[]> f = pool.submit(() -> new int[540_000_000]);
      assertThat(f.exception())
          .isInstanceOf(java.io.NotSerializableException.class)
          .hasMessageContaining("too big to travel: 2160000005 bytes")
          .hasMessageContaining("bytes, over the limit of 2147483639");
      assertThat(pool.submit(() -> 2).result()).isEqualTo(2);
      assertThat(pool.stats().workersCrashed()).isZero();
    }
  }

  @Test
  void whatATaskPrintsDoesNotCorruptTheProtocol() {
    TaskFuture<String> f =
        shared.submit(
            () -> {
              for (int i = 0; i < 20_000; i++) {
                System.out.println("line " + i + " of chatter from the task");
              }
              System.err.println("and some on stderr");
              return "done";
            });
    assertThat(f.result()).isEqualTo("done");
    assertThat(shared.submit(() -> 3).result()).isEqualTo(3);
  }

  @Test
  void whatATaskPrintsReachesOurStderrPrefixedWithItsWorker() throws Exception {
    java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(2);
    java.util.List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    java.io.PrintStream original = System.err;
    System.setErr(
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) {
          @Override
          public void println(String line) {
            if (line.contains("token-4711")) {
              lines.add(line);
              seen.countDown();
            }
          }
        });
    try (ProcessPool pool = ProcessPool.create(1)) {
      pool.submit(
              () -> {
                System.out.println("token-4711 on out");
                System.err.println("token-4711 on err");
                return 0;
              })
          .result();
      assertThat(seen.await(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    } finally {
      System.setErr(original);
    }
    assertThat(lines)
        .containsExactlyInAnyOrder(
            "[ProcessPool-"
                + lines.get(0).replaceAll("^\\[ProcessPool-(\\d+)-.*", "$1")
                + "-worker-0] token-4711 on out",
            "[ProcessPool-"
                + lines.get(0).replaceAll("^\\[ProcessPool-(\\d+)-.*", "$1")
                + "-worker-0] token-4711 on err");
  }

  @Test
  void bytesWrittenStraightToStdoutFailTheTaskInsteadOfHanging() {
    try (ProcessPool pool = ProcessPool.create(1)) {
      TaskFuture<Integer> f =
          pool.submit(
              () -> {
                java.io.FileOutputStream raw =
                    new java.io.FileOutputStream(java.io.FileDescriptor.out);
                raw.write("Started something on stdout\n".getBytes());
                raw.flush();
                Thread.sleep(Duration.ofMinutes(5));
                return 1;
              });
      assertThat(f.exception(Duration.ofMinutes(1)))
          .isInstanceOf(WorkerCrashedException.class)
          .hasMessageContaining("Started something on stdout");
      assertThat(pool.submit(() -> "fine again").result()).isEqualTo("fine again");
    }
  }

  @Test
  void aWorkerWhoseFrameClaimsTwoGigabytesAndSendsTenBytesFailsItsTaskNotThePool() {
    try (ProcessPool pool = ProcessPool.create(1)) {
      TaskFuture<Integer> f =
          pool.submit(
              () -> {
                java.io.DataOutputStream raw =
                    new java.io.DataOutputStream(
                        new java.io.FileOutputStream(java.io.FileDescriptor.out));
                raw.writeShort(0xFACE);
                raw.writeByte(12);
                raw.writeLong(1);
                raw.writeInt(Integer.MAX_VALUE);
                raw.write(new byte[10]);
                raw.flush();
                Runtime.getRuntime().halt(3);
                return 1;
              });
      assertThat(f.exception(Duration.ofMinutes(1))).isInstanceOf(WorkerCrashedException.class);
      assertThat(pool.submit(() -> "fine again").result()).isEqualTo("fine again");
    }
  }

  @Test
  void aWorkerCanBeProfiledWithJfr(@TempDir Path dir) {
    Path recording = dir.resolve("worker.jfr");
    try (ProcessPool pool =
        ProcessPool.builder()
            .maxWorkers(1)
            .jvmOptions("-XX:StartFlightRecording=filename=" + recording)
            .build()) {
      assertThat(pool.submit(() -> "profiled").result()).isEqualTo("profiled");
    }
    assertThat(recording).exists();
  }

  @Test
  void bigTasksAndBigAnswersCrossingOnTheSamePipesDoNotDeadlock() {
    // One worker holding two tasks: while it writes one 16 MB answer, the pool writes it the next
    // 16 MB task from the thread that reads its answers. Both pipes fill unless the worker keeps
    // reading while it writes.
    ProcessPool pool = ProcessPool.create(1);
    try {
      List<TaskFuture<byte[]>> futures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        byte[] payload = new byte[16 << 20];
        payload[0] = (byte) i;
        futures.add(pool.submit(() -> payload.clone()));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).result(Duration.ofMinutes(1))[0]).isEqualTo((byte) i);
      }
    } finally {
      pool.shutdown(false, true);
    }
  }

  @Test
  void sixtyFourMegabytesEachWay() {
    byte[] payload = new byte[64 << 20];
    payload[0] = 1;
    payload[payload.length - 1] = 2;
    byte[] back =
        shared
            .submit(
                () -> {
                  byte[] copy = payload.clone();
                  copy[1] = 7;
                  return copy;
                })
            .result();
    assertThat(back).hasSize(64 << 20);
    assertThat(back[0]).isEqualTo((byte) 1);
    assertThat(back[1]).isEqualTo((byte) 7);
    assertThat(back[back.length - 1]).isEqualTo((byte) 2);
  }

  @Test
  void aTaskThatLeavesItsThreadInterruptedDoesNotHarmTheWorker() {
    try (ProcessPool pool = ProcessPool.create(1)) {
      assertThat(
              pool.submit(
                      () -> {
                        Thread.currentThread().interrupt();
                        return 1;
                      })
                  .result())
          .isEqualTo(1);
      assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).result()).isFalse();
      assertThat(pool.stats().workersCrashed()).isZero();
      assertThat(pool.stats().workersStarted()).isEqualTo(1);
    }
  }

  @Test
  void systemExitFailsOnlyItsTaskAndThePoolGoesOn() {
    try (ProcessPool pool = ProcessPool.create(1)) {
      TaskFuture<Integer> exit =
          pool.submit(
              () -> {
                System.exit(3);
                return 0;
              });
      assertThat(exit.exception())
          .isInstanceOf(WorkerCrashedException.class)
          .hasMessageContaining("exited with code 3");
      assertThatThrownBy(exit::result).isInstanceOf(WorkerCrashedException.class);
      assertThat(pool.submit(() -> "still here").result()).isEqualTo("still here");
      assertThat(pool.stats().workersCrashed()).isEqualTo(1);
      assertThat(pool.stats().workersStarted()).isEqualTo(2);
    }
  }

  @Test
  void runtimeHaltIsACrashToo() {
    try (ProcessPool pool = ProcessPool.create(1)) {
      TaskFuture<Integer> halt =
          pool.submit(
              () -> {
                Runtime.getRuntime().halt(7);
                return 0;
              });
      assertThat(halt.exception()).hasMessageContaining("exited with code 7");
      assertThat(pool.submit(() -> 1).result()).isEqualTo(1);
    }
  }

  @Test
  void killMinus9OfAWorkerMidTask(@TempDir Path dir) throws Exception {
    String pidFile = dir.resolve("victim.pid").toString();
    ProcessPool pool = ProcessPool.create(2);
    try {
      TaskFuture<String> victim =
          pool.submit(
              () -> {
                Files.writeString(Path.of(pidFile + ".tmp"), Long.toString(pid()));
                Files.move(Path.of(pidFile + ".tmp"), Path.of(pidFile));
                Thread.sleep(Duration.ofMinutes(5));
                return "never";
              });
      long victimPid = Long.parseLong(awaitFile(Path.of(pidFile)));
      new ProcessBuilder("kill", "-9", Long.toString(victimPid)).start().waitFor();
      assertThat(victim.exception())
          .isInstanceOf(WorkerCrashedException.class)
          .hasMessageContaining("signal 9 (SIGKILL)")
          .hasMessageContaining("pid " + victimPid);
      WorkerCrashedException crash = (WorkerCrashedException) victim.exception();
      assertThat(crash.signal()).contains("SIGKILL");
      assertThat(crash.exitCode()).hasValue(137);
      assertThat(crash.worker()).hasValueSatisfying(name -> assertThat(name).contains("-worker-"));
      assertThat(crash.fatalErrorLog()).isEmpty();
      assertThat(pool.submit(() -> "healed").result()).isEqualTo("healed");
      assertThat(pool.stats().workersCrashed()).isEqualTo(1);
    } finally {
      pool.shutdown(false, true);
    }
  }

  /** Polls for a file another process writes: no latch crosses a process boundary. */
  static String awaitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as("waiting for " + file).isLessThan(deadline);
      Thread.sleep(10);
    }
    return Files.readString(file).trim();
  }

  @Test
  void theFirstTasksOfANewPoolSpreadOverItsWorkersWhileTheirCostIsUnknown(@TempDir Path dir)
      throws Exception {
    // Each task waits until the other has started: they can only both finish side by side.
    String a = dir.resolve("a").toString();
    String b = dir.resolve("b").toString();
    try (ProcessPool pool = ProcessPool.create(2)) {
      TaskFuture<Long> first = pool.submit(() -> meet(a, b));
      TaskFuture<Long> second = pool.submit(() -> meet(b, a));
      assertThat(first.result(Duration.ofMinutes(2)))
          .isNotEqualTo(second.result(Duration.ofMinutes(2)));
    }
  }

  /** Announces {@code mine}, waits for {@code theirs}, returns this worker's pid. */
  private static long meet(String mine, String theirs) throws Exception {
    Files.writeString(Path.of(mine), "here");
    awaitFile(Path.of(theirs));
    return pid();
  }

  @Test
  void aQuickAnswerIsNotHeldBackWhileTheNextTaskRunsLong() {
    try (ProcessPool pool = ProcessPool.create(1)) {
      TaskFuture<String> quick = pool.submit(() -> "quick");
      TaskFuture<String> slow =
          pool.submit(
              () -> {
                Thread.sleep(Duration.ofMinutes(5));
                return "slow";
              });
      assertThat(quick.result(Duration.ofSeconds(30))).isEqualTo("quick");
      slow.cancel(true);
    }
  }

  @Test
  void aNativeCrashFailsOnlyItsTask(@TempDir Path dir) {
    try (ProcessPool pool =
        ProcessPool.builder()
            .maxWorkers(1)
            .jvmOptions(
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash")
            .build()) {
      TaskFuture<Integer> segfault =
          pool.submit(
              () -> {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                java.lang.reflect.Field f = unsafeClass.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                unsafeClass
                    .getMethod("putAddress", long.class, long.class)
                    .invoke(f.get(null), 0L, 0L);
                return 0;
              });
      // With core dumps off, HotSpot ends a crash with exit(1) after printing its report.
      assertThat(segfault.exception())
          .isInstanceOf(WorkerCrashedException.class)
          .hasMessageMatching("(?s).*(exited with code|killed by signal).*");
      assertThat(pool.submit(() -> "survived").result()).isEqualTo("survived");
    }
  }

  @Test
  void noWorkerIsLeftBehindAfterClose() throws Exception {
    ProcessPool pool = ProcessPool.create(2);
    List<TaskFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(
          pool.submit(
              () -> {
                Thread.sleep(50);
                return pid();
              }));
    }
    Set<Long> pids = new HashSet<>();
    for (TaskFuture<Long> f : futures) {
      pids.add(f.result());
    }
    pool.close();
    for (long workerPid : pids) {
      assertThat(ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false))
          .as("worker %d is gone", workerPid)
          .isFalse();
    }
  }

  @Test
  void outOfMemoryCrashesOnlyThatWorker() {
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).jvmOptions("-Xmx48m").build()) {
      TaskFuture<Integer> hog =
          pool.submit(
              () -> {
                List<long[]> hoard = new ArrayList<>();
                while (true) {
                  hoard.add(new long[1 << 20]);
                }
              });
      assertThat(hog.exception())
          .isInstanceOf(WorkerCrashedException.class)
          .hasMessageContaining("out of memory");
      assertThat(pool.submit(() -> "recovered").result()).isEqualTo("recovered");
    }
  }

  @Test
  void aTaskThatSpinsForeverTimesOutAndItsWorkerIsReplaced() {
    try (ProcessPool pool =
        ProcessPool.builder().maxWorkers(1).taskTimeout(Duration.ofMillis(500)).build()) {
      TaskFuture<Integer> spinner =
          pool.submit(
              () -> {
                long x = 0;
                while (true) {
                  x++;
                }
              });
      assertThat(spinner.exception())
          .isInstanceOf(TaskTimeoutException.class)
          .hasMessageContaining("PT0.5S");
      assertThat(pool.submit(() -> "next").result()).isEqualTo("next");
      assertThat(pool.stats().workersStarted()).isEqualTo(2);
      assertThat(pool.stats().workersCrashed()).isZero();
    }
  }

  @Test
  void cancelTrueKillsTheWorkerOfASpinningTask(@TempDir Path dir) throws Exception {
    String spinning = dir.resolve("spinning").toString();
    try (ProcessPool pool = ProcessPool.create(1)) {
      TaskFuture<Integer> spinner = pool.submit(() -> spin(spinning));
      awaitFile(Path.of(spinning));
      assertThat(spinner.cancel(true)).isTrue();
      assertThatThrownBy(spinner::result).isInstanceOf(CancellationException.class);
      assertThat(pool.submit(() -> "after cancel").result()).isEqualTo("after cancel");
      assertThat(pool.stats().workersStarted()).isEqualTo(2);
      assertThat(pool.stats().workersCrashed()).isZero();
    }
  }

  @Test
  void cancelTrueOfATaskTheWorkerBeganBeforeThePoolHeardOfItStillKillsTheWorker(@TempDir Path dir)
      throws Exception {
    String spinning = dir.resolve("spinning").toString();
    ProcessPool pool = ProcessPool.create(1);
    try {
      // Short tasks first, so that the worker is handed the next three at once.
      for (int i = 0; i < 50; i++) {
        assertThat(pool.submit(() -> 1).result()).isEqualTo(1);
      }
      TaskFuture<HeldOnArrival> held;
      TaskFuture<Integer> quick;
      TaskFuture<Integer> spinner;
      try {
        // The pool's reader stays on the first answer, so it never hears that the worker moved
        // on: to it, the spinner still waits behind the quick task when it is cancelled.
        held = pool.submit(HeldOnArrival::new);
        quick = pool.submit(() -> 2);
        spinner = pool.submit(() -> spin(spinning));
        awaitFile(Path.of(spinning));
        assertThat(spinner.cancel(true)).isTrue();
      } finally {
        HeldOnArrival.RELEASE.countDown();
      }
      assertThat(held.result(Duration.ofMinutes(1))).isNotNull();
      assertThat(quick.result(Duration.ofMinutes(1))).isEqualTo(2);
      assertThatThrownBy(spinner::result).isInstanceOf(CancellationException.class);
      assertThat(pool.submit(() -> "after cancel").result(Duration.ofMinutes(1)))
          .isEqualTo("after cancel");
      assertThat(pool.stats().workersStarted()).isEqualTo(2);
      assertThat(pool.stats().workersCrashed()).isZero();
    } finally {
      // Not waiting: should the spinner still run, the test fails rather than wait for it.
      pool.shutdown(false, true);
    }
  }

  /** Announces that it runs, then spins where no interrupt can reach it. */
  private static int spin(String announce) throws IOException {
    Files.writeString(Path.of(announce), "spinning");
    long x = 0;
    while (true) {
      x++;
    }
  }

  /** A value whose arrival in the pool waits for {@link #RELEASE}. */
  static final class HeldOnArrival implements Serializable {
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    private Object readResolve() throws InterruptedException {
      RELEASE.await();
      return this;
    }
  }

  @Test
  void maxTasksPerWorkerReplacesWorkers() {
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).maxTasksPerWorker(2).build()) {
      List<Long> pids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        pids.add(pool.submit(ProcessPoolTest::pid).result());
      }
      assertThat(new HashSet<>(pids)).hasSize(3);
      assertThat(pids.get(0)).isEqualTo(pids.get(1));
      assertThat(pool.stats().workersCrashed()).isZero();
    }
  }

  @Test
  void initializerRunsInEveryWorker() {
    try (ProcessPool pool =
        ProcessPool.builder()
            .maxWorkers(1)
            .initializer(() -> System.setProperty("jfutures.test.init", "done"))
            .build()) {
      assertThat(pool.submit(() -> System.getProperty("jfutures.test.init")).result())
          .isEqualTo("done");
    }
  }

  @Test
  void aFailingInitializerBreaksThePool() {
    try (ProcessPool pool =
        ProcessPool.builder()
            .maxWorkers(1)
            .initializer(
                () -> {
                  throw new IllegalStateException("no license");
                })
            .build()) {
      TaskFuture<Integer> f = pool.submit(() -> 1);
      assertThat(f.exception())
          .isInstanceOf(BrokenPoolException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("no license");
      assertThatThrownBy(() -> pool.submit(() -> 2))
          .isInstanceOf(BrokenPoolException.class)
          .cause()
          .hasMessage("no license");
    }
  }

  @Test
  void aWorkerThatCannotStartBreaksThePoolWithItsStderr() {
    try (ProcessPool pool =
        ProcessPool.builder().maxWorkers(2).jvmOptions("-XX:+NoSuchJvmOption").build()) {
      TaskFuture<Integer> f = pool.submit(() -> 1);
      assertThat(f.exception())
          .isInstanceOf(BrokenPoolException.class)
          .hasMessageContaining("could not start")
          .hasMessageContaining("NoSuchJvmOption");
      assertThatThrownBy(() -> pool.submit(() -> 2)).isInstanceOf(BrokenPoolException.class);
      assertThat(pool.stats().workersStarted()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void retriesRunACrashedTaskAgainOnAFreshWorker(@TempDir Path dir) {
    Path marker = dir.resolve("crashed-once");
    String path = marker.toString();
    try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).retries(1).build()) {
      TaskFuture<String> f =
          pool.submit(
              () -> {
                Path p = Path.of(path);
                if (!Files.exists(p)) {
                  Files.createFile(p);
                  Runtime.getRuntime().halt(9);
                }
                return "second time lucky";
              });
      assertThat(f.result()).isEqualTo("second time lucky");
      assertThat(pool.stats().workersCrashed()).isEqualTo(1);
    }
  }

  @Test
  void mapOverProcessesKeepsOrderAndReportsFailures() {
    List<Integer> inputs = IntStream.range(0, 5_000).boxed().toList();
    assertThat(shared.map((Integer x) -> x * 2, inputs).toList())
        .containsExactlyElementsOf(inputs.stream().map(x -> x * 2).toList());
    assertThat(
            shared.map((Integer x) -> "s" + x, inputs, MapOptions.defaults().unordered()).toList())
        .hasSize(5_000)
        .contains("s0", "s4999");
    assertThatThrownBy(
            () ->
                shared
                    .map(
                        (Integer x) -> {
                          if (x == 777) {
                            throw new IOException("bad input " + x);
                          }
                          return x;
                        },
                        inputs)
                    .toList())
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("#777")
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessage("bad input 777");
  }

  /** Long results, then Integers, nulls and strings: each keeps its own class across the pipe. */
  private static Object mixedResult(Number x) {
    long n = x.longValue();
    if (n % 97 == 0) {
      return null;
    } else if (n < 300) {
      return n * 3;
    } else if (n < 500) {
      return (int) n;
    } else if (n < 700) {
      return n / 2.0;
    }
    return "s" + n;
  }

  @Test
  void mapOverProcessesKeepsEachResultsTypeWhenTypesChangeInsideAChunk() {
    MapOptions oneChunk = MapOptions.defaults().chunkSize(1_000);
    List<Integer> ints = IntStream.range(1, 1_000).boxed().toList();
    List<Long> longs = ints.stream().map(x -> x + 5_000_000_000L).toList();
    List<Double> doubles = ints.stream().map(x -> x + 0.25).toList();
    for (List<? extends Number> inputs : List.of(ints, longs, doubles)) {
      List<Object> expected = new ArrayList<>();
      inputs.forEach(x -> expected.add(mixedResult(x)));
      assertThat(shared.map(ProcessPoolTest::mixedResult, inputs, oneChunk).toList())
          .containsExactlyElementsOf(expected);
    }
    assertThat(shared.map((Integer x) -> x % 2 == 0 ? null : x, ints, oneChunk).toList())
        .containsExactlyElementsOf(ints.stream().map(x -> x % 2 == 0 ? null : x).toList());
    assertThat(shared.map((Long x) -> x - 1, longs, oneChunk).toList())
        .containsExactlyElementsOf(longs.stream().map(x -> x - 1).toList());
    assertThat(shared.map((Double x) -> x * 2, doubles, oneChunk).toList())
        .containsExactlyElementsOf(doubles.stream().map(x -> x * 2).toList());
    assertThat(shared.map((Integer x) -> (long) x * x, ints, oneChunk).toList())
        .containsExactlyElementsOf(ints.stream().map(x -> (long) x * x).toList());
  }

  @Test
  void aFailureInsideAChunkOverProcessesDeliversTheValuesBeforeIt() {
    List<Long> got = new ArrayList<>();
    assertThatThrownBy(
            () ->
                shared
                    .map(
                        (Long x) -> {
                          if (x == 25) {
                            throw new IllegalStateException("at 25");
                          }
                          return x * 10;
                        },
                        LongStream.range(0, 100).boxed().toList(),
                        MapOptions.defaults().chunkSize(50))
                    .forEach(got::add))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("#25")
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("at 25");
    assertThat(got)
        .containsExactlyElementsOf(LongStream.range(0, 25).map(x -> x * 10).boxed().toList());
  }

  private static List<String> workerArguments(Pool pool) {
    return pool.submit(
            () -> List.of(ProcessHandle.current().info().arguments().orElse(new String[0])))
        .result();
  }

  @Test
  void workersGetTransparentHugePagesWhereLinuxGivesThemOnRequestUnlessTheUserSaysOtherwise()
      throws IOException {
    Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    boolean onRequest = Files.isReadable(mode) && Files.readString(mode).contains("[madvise]");
    assertThat(workerArguments(shared).contains("-XX:+UseTransparentHugePages"))
        .isEqualTo(onRequest);
    try (ProcessPool pool =
        ProcessPool.builder().maxWorkers(1).jvmOptions("-XX:-UseTransparentHugePages").build()) {
      assertThat(workerArguments(pool))
          .contains("-XX:-UseTransparentHugePages")
          .doesNotContain("-XX:+UseTransparentHugePages");
    }
  }

  @Test
  void invalidSettingsNameTheOption() {
    assertThatThrownBy(() -> ProcessPool.create(0)).hasMessageContaining("maxWorkers");
    assertThatThrownBy(() -> ProcessPool.builder().maxTasksPerWorker(0))
        .hasMessageContaining("maxTasksPerWorker");
    assertThatThrownBy(() -> ProcessPool.builder().retries(-1)).hasMessageContaining("retries");
    assertThatThrownBy(() -> ProcessPool.builder().taskTimeout(Duration.ZERO))
        .hasMessageContaining("taskTimeout");
  }
}
