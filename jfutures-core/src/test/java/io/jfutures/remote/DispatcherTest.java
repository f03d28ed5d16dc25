package io.jfutures.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jfutures.BrokenPoolException;
import io.jfutures.Task;
import io.jfutures.TaskFuture;
import io.jfutures.TaskTimeoutException;
import io.jfutures.WorkerCrashedException;
import io.jfutures.base.PoolCore;
import io.jfutures.codec.Codec;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's rules, on a fake transport that records what it is asked and answers only when
 * the test says: no JVM, no cluster. Each test plays one sequence of worker events.
 */
class DispatcherTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Records every call; its seats are whatever the dispatcher opens. */
  static final class FakeTransport implements Transport<String> {
    final BlockingQueue<Seat<String>> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<List<Dispatch>> sent = new LinkedBlockingQueue<>();
    final BlockingQueue<Dispatch> cancelled = new LinkedBlockingQueue<>();
    final BlockingQueue<Seat<String>> killed = new LinkedBlockingQueue<>();
    final BlockingQueue<Seat<String>> retired = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);
    final List<Seat<String>> sentTo = new ArrayList<>();

    @Override
    public void open(Seat<String> seat) {
      seat.attach("worker " + seat.number());
      opened.add(seat);
    }

    @Override
    public synchronized void send(Seat<String> seat, List<Dispatch> batch, int bundle) {
      sentTo.add(seat);
      sent.add(batch);
    }

    @Override
    public void cancel(Seat<String> seat, Dispatch dispatch) {
      cancelled.add(dispatch);
    }

    @Override
    public void kill(Seat<String> seat) {
      killed.add(seat);
    }

    @Override
    public void retire(Seat<String> seat) {
      retired.add(seat);
    }

    @Override
    public void close() {
      closed.countDown();
    }

    static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
      T item = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(item).as("the dispatcher's next call").isNotNull();
      return item;
    }
  }

  private final FakeTransport transport = new FakeTransport();

  private Dispatcher<String> dispatcher(int seats, int retries, Duration timeout, int maxTasks) {
    return new Dispatcher<>(
        new Dispatcher.Settings("Test", seats, maxTasks, timeout, retries, false, 5_000_000, 0),
        transport);
  }

  private static Task<Integer> value(int n) {
    return () -> n;
  }

  /** Opens the next seat and makes it ready; returns it. */
  private Seat<String> readySeat(Dispatcher<String> dispatcher) throws InterruptedException {
    Seat<String> seat = FakeTransport.next(transport.opened);
    dispatcher.ready(seat);
    return seat;
  }

  /**
   * Opens a seat and runs one short task on it, so that the dispatcher knows tasks are short and
   * gives the seat many at once; returns the seat.
   */
  private Seat<String> warmUp(Dispatcher<String> dispatcher, PoolCore pool) throws Exception {
    TaskFuture<Integer> first = pool.submit(value(0));
    Seat<String> seat = readySeat(dispatcher);
    answer(dispatcher, seat, FakeTransport.next(transport.sent).get(0), 10_000);
    assertThat(first.get()).isZero();
    return seat;
  }

  /** The next {@code n} dispatches the transport is asked to send, over however many batches. */
  private List<Dispatch> sent(int n) throws InterruptedException {
    List<Dispatch> dispatches = new ArrayList<>();
    while (dispatches.size() < n) {
      dispatches.addAll(FakeTransport.next(transport.sent));
    }
    return dispatches;
  }

  /** Answers {@code dispatch} with its task's own value, as a worker next to the pool would. */
  private static void answer(
      Dispatcher<String> dispatcher, Seat<String> seat, Dispatch dispatch, long tookNanos)
      throws Exception {
    answer(dispatcher, seat, dispatch, tookNanos, -1);
  }

  /** Answers {@code dispatch}, reporting that its answer came {@code tripNanos} after sending. */
  private static void answer(
      Dispatcher<String> dispatcher,
      Seat<String> seat,
      Dispatch dispatch,
      long tookNanos,
      long tripNanos)
      throws Exception {
    Object value = ((Task<?>) Codec.decode(dispatch.payload())).call();
    byte[] bytes = Codec.encode(value);
    if (dispatcher.finished(seat, dispatch, tookNanos, tripNanos, true)) {
      dispatch.settle(false, bytes, 0, bytes.length);
    }
  }

  @Test
  void aTaskIsSentToAWorkerOnceItIsReadyAndSettledByItsAnswer() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(2, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    TaskFuture<Integer> future = pool.submit(value(7));
    Seat<String> seat = readySeat(dispatcher);
    List<Dispatch> batch = FakeTransport.next(transport.sent);
    assertThat(batch).hasSize(1);
    assertThat(future.isRunning()).isTrue();
    answer(dispatcher, seat, batch.get(0), 1_000);
    assertThat(future.get()).isEqualTo(7);
    assertThat(pool.stats().workersStarted()).isEqualTo(1);
  }

  @Test
  void aSubmitThatRacesABreakFailsAtOnceRatherThanWaitForAWorker() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    BrokenPoolException cause = new BrokenPoolException("broken for the test", null);
    // The pool breaks while the task is being encoded: after the submit's check, before its queue.
    TaskFuture<Integer> future = pool.submit(new BreaksWhileEncoded(dispatcher, cause));
    assertThat(future.exception(WAIT)).isSameAs(cause);
    assertThatThrownBy(() -> pool.submit(value(1))).isInstanceOf(BrokenPoolException.class);
  }

  /** A task whose serialization breaks the pool, standing in for a break on another thread. */
  private static final class BreaksWhileEncoded implements Task<Integer> {
    private final transient Dispatcher<String> dispatcher;
    private final transient BrokenPoolException cause;

    BreaksWhileEncoded(Dispatcher<String> dispatcher, BrokenPoolException cause) {
      this.dispatcher = dispatcher;
      this.cause = cause;
    }

    @Override
    public Integer call() {
      return 0;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      dispatcher.breakPool(cause, false);
      out.defaultWriteObject();
    }
  }

  @Test
  void aTaskWhoseWorkerDiesRunsAgainWhileRetriesLastThenFailsNamingTheWorker() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 1, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    TaskFuture<Integer> future = pool.submit(value(1));
    for (int run = 1; run <= 2; run++) {
      Seat<String> seat = readySeat(dispatcher);
      Dispatch dispatch = FakeTransport.next(transport.sent).get(0);
      dispatch.markStarted(System.nanoTime());
      dispatcher.ended(seat, Ending.exited(137, seat.name() + " was killed by signal 9"));
    }
    assertThat(future.exception(WAIT))
        .isInstanceOf(WorkerCrashedException.class)
        .hasMessageContaining("Test-worker-1 was killed by signal 9")
        .hasMessageContaining("ran 2 times; retries=1");
    assertThat(pool.stats().workersCrashed()).isEqualTo(2);
  }

  @Test
  void tasksQueuedBehindTheRunningOneGoBackUntouchedWhenItsWorkerDies() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    Seat<String> seat = warmUp(dispatcher, pool);

    List<TaskFuture<Integer>> futures = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      futures.add(pool.submit(value(i)));
    }
    List<Dispatch> held = sent(3);
    held.get(0).markStarted(System.nanoTime());
    dispatcher.ended(seat, Ending.exited(1, "worker exited with code 1"));

    assertThat(futures.get(0).exception(WAIT)).isInstanceOf(WorkerCrashedException.class);
    Seat<String> replacement = readySeat(dispatcher);
    List<Dispatch> again = FakeTransport.next(transport.sent);
    assertThat(again).hasSize(2);
    for (Dispatch dispatch : again) {
      answer(dispatcher, replacement, dispatch, 10_000);
    }
    assertThat(futures.get(1).get()).isEqualTo(2);
    assertThat(futures.get(2).get()).isEqualTo(3);
  }

  @Test
  void cancelTrueOfARunningTaskKillsItsWorkerAndAKillThatHitsTheNextTaskRequeuesIt()
      throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    Seat<String> seat = warmUp(dispatcher, pool);

    TaskFuture<Integer> doomed = pool.submit(value(1));
    TaskFuture<Integer> next = pool.submit(value(2));
    List<Dispatch> held = sent(2);
    held.get(0).markStarted(System.nanoTime());
    assertThat(doomed.cancel(true)).isTrue();
    assertThat(FakeTransport.next(transport.killed)).isSameAs(seat);

    // The cancelled task finished as the signal went; the kill hit the next one as it began.
    answer(dispatcher, seat, held.get(0), 10_000);
    held.get(1).markStarted(System.nanoTime());
    dispatcher.ended(seat, Ending.exited(137, "worker was killed by signal 9"));

    Seat<String> replacement = readySeat(dispatcher);
    Dispatch rerun = FakeTransport.next(transport.sent).get(0);
    answer(dispatcher, replacement, rerun, 10_000);
    assertThat(next.get()).isEqualTo(2);
    assertThatThrownBy(doomed::get).isInstanceOf(CancellationException.class);
    assertThat(pool.stats().workersCrashed()).isZero();
  }

  @Test
  void cancelTrueOfATaskItsWorkerHasNotBegunFreesItsPlaceWithoutAKill() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    Seat<String> seat = warmUp(dispatcher, pool);

    pool.submit(value(1));
    TaskFuture<Integer> waiting = pool.submit(value(2));
    List<Dispatch> held = sent(2);
    held.get(0).markStarted(System.nanoTime());
    assertThat(waiting.cancel(true)).isTrue();
    assertThat(FakeTransport.next(transport.cancelled)).isSameAs(held.get(1));
    assertThat(transport.killed).isEmpty();
    // An answer to the dropped dispatch, such as the worker's "skipped", no longer counts.
    assertThat(dispatcher.finished(seat, held.get(1), -1, -1, true)).isFalse();
  }

  @Test
  void aTaskCancelledBeforeItsWorkerSawItBeginIsWithdrawnAndItsWorkerKilledIfItHadBegunIt()
      throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    Seat<String> seat = warmUp(dispatcher, pool);

    TaskFuture<Integer> first = pool.submit(value(1));
    TaskFuture<Integer> doomed = pool.submit(value(2));
    List<Dispatch> held = sent(2);
    held.get(0).markStarted(System.nanoTime());
    assertThat(doomed.cancel(true)).isTrue();
    Dispatch withdrawn = FakeTransport.next(transport.cancelled);
    assertThat(withdrawn).isSameAs(held.get(1));
    assertThat(withdrawn.withdrawn()).isTrue();
    assertThat(held.get(0).withdrawn()).isFalse();
    assertThat(transport.killed).isEmpty();

    // The worker had answered the first task and begun the second before the skip reached it.
    answer(dispatcher, seat, held.get(0), 10_000);
    withdrawn.markStarted(System.nanoTime());
    dispatcher.begunBeforeSkip(seat, withdrawn);
    assertThat(FakeTransport.next(transport.killed)).isSameAs(seat);
    TaskFuture<Integer> after = pool.submit(value(3));
    dispatcher.ended(seat, Ending.exited(137, "worker was killed by signal 9"));

    Seat<String> replacement = readySeat(dispatcher);
    answer(dispatcher, replacement, FakeTransport.next(transport.sent).get(0), 10_000);
    assertThat(first.get()).isEqualTo(1);
    assertThat(after.get()).isEqualTo(3);
    assertThatThrownBy(doomed::get).isInstanceOf(CancellationException.class);
    assertThat(pool.stats().workersCrashed()).isZero();
  }

  @Test
  void aWorkerThatCouldNotSkipATaskThatWasNotCancelledIsLeftToFinishIt() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    Seat<String> seat = warmUp(dispatcher, pool);

    TaskFuture<Integer> running = pool.submit(value(1));
    Dispatch dispatch = FakeTransport.next(transport.sent).get(0);
    dispatch.markStarted(System.nanoTime());
    // A worker draining for memory is told to skip all it holds, the running task included.
    dispatcher.begunBeforeSkip(seat, dispatch);
    answer(dispatcher, seat, dispatch, 10_000);
    assertThat(running.get()).isEqualTo(1);
    assertThat(transport.killed).isEmpty();
  }

  @Test
  void aTaskPastItsTimeoutFailsWithTaskTimeoutExceptionAndItsWorkerIsKilled() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 3, Duration.ofMillis(20), 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    TaskFuture<Integer> future = pool.submit(value(1));
    Seat<String> seat = readySeat(dispatcher);
    FakeTransport.next(transport.sent).get(0).markStarted(System.nanoTime());
    assertThat(FakeTransport.next(transport.killed)).isSameAs(seat);
    dispatcher.ended(seat, Ending.exited(137, "worker was killed by signal 9"));
    assertThat(future.exception(WAIT))
        .isInstanceOf(TaskTimeoutException.class)
        .hasMessageContaining("PT0.02S")
        .hasMessageContaining("Test-worker-0 was killed");
    assertThat(pool.stats().workersCrashed()).isZero();
  }

  @Test
  void aWorkerTakesOneTaskUntilCostsAreKnownThenTwoWhileSlowAndSixteenWhileShort()
      throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    for (int i = 0; i < 40; i++) {
      pool.submit(value(i));
    }
    Seat<String> seat = readySeat(dispatcher);
    List<Dispatch> first = FakeTransport.next(transport.sent);
    assertThat(first).hasSize(1);
    answer(dispatcher, seat, first.get(0), 50_000_000);
    List<Dispatch> slow = FakeTransport.next(transport.sent);
    assertThat(slow).hasSize(2);
    answer(dispatcher, seat, slow.get(0), 0);
    answer(dispatcher, seat, slow.get(1), 0);
    List<Dispatch> refill = new ArrayList<>();
    while (!transport.sent.isEmpty()) {
      refill.addAll(transport.sent.poll());
    }
    // 50 ms, then two answers of 0: the average is 32 ms, still slow.
    assertThat(refill).hasSize(2);
    Dispatcher<String> fresh =
        new Dispatcher<>(
            new Dispatcher.Settings("Short", 1, 0, null, 0, false, 5_000_000, 0), transport);
    PoolCore shortPool = new PoolCore("Short", fresh);
    for (int i = 0; i < 40; i++) {
      shortPool.submit(value(i));
    }
    Seat<String> shortSeat = FakeTransport.next(transport.opened);
    fresh.ready(shortSeat);
    answer(fresh, shortSeat, FakeTransport.next(transport.sent).get(0), 20_000);
    assertThat(FakeTransport.next(transport.sent)).hasSize(TaskCost.SHORT_TASK_DEPTH);
  }

  /** A dispatcher with one seat, and the seat that answered the first of its queued tasks. */
  private record Answered(Dispatcher<String> dispatcher, Seat<String> seat) {}

  /**
   * Queues {@code tasks} short tasks on a new one-seat pool and answers the first as having run
   * {@code tookNanos} and come back {@code tripNanos} after it was sent.
   */
  private Answered firstAnswered(int tasks, long tookNanos, long tripNanos) throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    for (int i = 0; i < tasks; i++) {
      pool.submit(value(i));
    }
    Seat<String> seat = readySeat(dispatcher);
    answer(dispatcher, seat, FakeTransport.next(transport.sent).get(0), tookNanos, tripNanos);
    return new Answered(dispatcher, seat);
  }

  @Test
  void aWorkerWhoseRoundTripIsUnderHalfAMillisecondHoldsSixteenShortTasks() throws Exception {
    firstAnswered(100, 10_000, 410_000);
    assertThat(FakeTransport.next(transport.sent)).hasSize(TaskCost.SHORT_TASK_DEPTH);
  }

  @Test
  void aWorkerFarAwayHoldsAsManyShortTasksAsRunInOneRoundTripUpToALimit() throws Exception {
    // 10 us of work whose answer came 2 ms after it left: one running, 200 behind it.
    Answered far = firstAnswered(1_000, 10_000, 2_010_000);
    List<Dispatch> held = FakeTransport.next(transport.sent);
    assertThat(held).hasSize(201);

    // One that waited 50 ms at its worker behind the others says nothing of the link.
    answer(far.dispatcher(), far.seat(), held.get(0), 10_000, 50_000_000);
    assertThat(FakeTransport.next(transport.sent)).hasSize(1);

    // A link seen later to be near (a round trip under half a millisecond) gives 16 again.
    answer(far.dispatcher(), far.seat(), held.get(1), 10_000, 110_000);
    assertThat(transport.sent).isEmpty();
  }

  @Test
  void noWorkerHoldsMoreThanTheLimitHoweverLongItsRoundTrip() throws Exception {
    firstAnswered(1_000, 10_000, 1_000_000_000);
    assertThat(FakeTransport.next(transport.sent)).hasSize(TaskCost.MAX_DEPTH);
  }

  @Test
  void aWorkerThatCannotStartBeforeAnyDidBreaksThePool() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(2, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    TaskFuture<Integer> future = pool.submit(value(1));
    Seat<String> seat = FakeTransport.next(transport.opened);
    dispatcher.ended(seat, Ending.exited(1, "Test-worker-0 exited with code 1: bad option"));
    assertThat(future.exception(WAIT))
        .isInstanceOf(BrokenPoolException.class)
        .hasMessageContaining("could not start")
        .hasMessageContaining("bad option");
    assertThatThrownBy(() -> pool.submit(value(2))).isInstanceOf(BrokenPoolException.class);
  }

  @Test
  void aWorkerKilledBySignalsAsItStartsIsReplacedUntilTenInARow() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    TaskFuture<Integer> future = pool.submit(value(1));
    for (int i = 0; i < 9; i++) {
      dispatcher.ended(FakeTransport.next(transport.opened), Ending.exited(137, "killed"));
      assertThat(future.isDone()).isFalse();
    }
    dispatcher.ended(FakeTransport.next(transport.opened), Ending.exited(137, "killed"));
    assertThat(future.exception(WAIT)).isInstanceOf(BrokenPoolException.class);
  }

  @Test
  void aWorkerIsRetiredOnceItHasTakenMaxTasksAndAnotherOpens() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 2);
    PoolCore pool = new PoolCore("Test", dispatcher);
    List<TaskFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      futures.add(pool.submit(value(i)));
    }
    Seat<String> seat = readySeat(dispatcher);
    answer(dispatcher, seat, FakeTransport.next(transport.sent).get(0), 10_000_000);
    answer(dispatcher, seat, FakeTransport.next(transport.sent).get(0), 10_000_000);
    assertThat(FakeTransport.next(transport.retired)).isSameAs(seat);
    dispatcher.ended(seat, Ending.exited(0, "retired"));
    Seat<String> second = readySeat(dispatcher);
    answer(dispatcher, second, FakeTransport.next(transport.sent).get(0), 10_000_000);
    assertThat(futures.get(2).get()).isEqualTo(2);
    assertThat(pool.stats().workersCrashed()).isZero();
  }

  @Test
  void shutdownRetiresIdleWorkersAndClosesTheTransportOnceTheyAreGone() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    TaskFuture<Integer> future = pool.submit(value(5));
    Seat<String> seat = readySeat(dispatcher);
    Dispatch dispatch = FakeTransport.next(transport.sent).get(0);
    pool.shutdown(false, false);
    assertThat(transport.retired).isEmpty();
    assertThatThrownBy(() -> pool.submit(value(6))).isInstanceOf(RejectedExecutionException.class);
    answer(dispatcher, seat, dispatch, 1_000);
    assertThat(future.get()).isEqualTo(5);
    assertThat(FakeTransport.next(transport.retired)).isSameAs(seat);
    assertThat(transport.closed.getCount()).isOne();
    dispatcher.ended(seat, Ending.exited(0, "retired"));
    assertThat(transport.closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    dispatcher.awaitTermination();
  }

  @Test
  void cancelPendingCancelsWhatNoWorkerHasTaken() throws Exception {
    Dispatcher<String> dispatcher = dispatcher(1, 0, null, 0);
    PoolCore pool = new PoolCore("Test", dispatcher);
    TaskFuture<Integer> taken = pool.submit(value(1));
    Seat<String> seat = readySeat(dispatcher);
    Dispatch dispatch = FakeTransport.next(transport.sent).get(0);
    TaskFuture<Integer> waiting = pool.submit(value(2));
    pool.shutdown(false, true);
    assertThat(waiting.isCancelled()).isTrue();
    answer(dispatcher, seat, dispatch, 1_000);
    assertThat(taken.get()).isEqualTo(1);
  }

  @Test
  void joinedWorkersAreCountedAndAWorkerLostAloneIsPausedWhileItsTaskRunsElsewhere()
      throws Exception {
    Dispatcher<String> dispatcher =
        new Dispatcher<>(
            new Dispatcher.Settings("Cluster", 0, 0, null, 1, true, 20_000_000, 50_000), transport);
    PoolCore pool = new PoolCore("Cluster", dispatcher);
    Seat<String> a = dispatcher.join("a", "member a", 1);
    Seat<String> b = dispatcher.join("b", "member b", 1);
    assertThat(pool.maxWorkers()).isEqualTo(2);
    TaskFuture<Integer> future = pool.submit(value(3));
    Seat<String> first;
    synchronized (transport) {
      first = transport.sentTo.get(0);
    }
    Dispatch dispatch = FakeTransport.next(transport.sent).get(0);
    dispatch.markStarted(System.nanoTime());
    dispatcher.lost(first, dispatch, Ending.lost("lost", null), TimeUnit.HOURS.toNanos(1));
    Seat<String> other = first == a ? b : a;
    Dispatch retry = FakeTransport.next(transport.sent).get(0);
    synchronized (transport) {
      assertThat(transport.sentTo.get(1)).isSameAs(other);
    }
    answer(dispatcher, other, retry, 1_000);
    assertThat(future.get()).isEqualTo(3);
    dispatcher.ended(first, Ending.lost("member left", null));
    assertThat(pool.maxWorkers()).isEqualTo(1);
  }

  @Test
  void theMapsChunkTargetGrowsWithTheWorkersTheClusterReportsOnceItCouldNotFeedThemAll() {
    Dispatcher<String> dispatcher =
        new Dispatcher<>(
            new Dispatcher.Settings("Cluster", 0, 0, null, 1, true, 20_000_000, 50_000), transport);
    dispatcher.join("a", "member a", 16);
    assertThat(dispatcher.chunkTargetNanos()).isEqualTo(20_000_000);
    assertThat(dispatcher.defaultBufferSize()).isEqualTo(64);
    for (int i = 1; i < 100; i++) {
      dispatcher.join("m" + i, "member " + i, 16);
    }
    // 1,600 workers, each ending a chunk every T, at 50 us a dispatch: T >= 2 * 1,600 * 50 us.
    assertThat(dispatcher.chunkTargetNanos()).isEqualTo(160_000_000);
    assertThat(dispatcher.defaultBufferSize()).isEqualTo(6_400);
  }
}
