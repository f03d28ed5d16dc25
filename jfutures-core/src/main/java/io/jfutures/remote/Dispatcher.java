package io.jfutures.remote;

import io.jfutures.BrokenPoolException;
import io.jfutures.PoolInsights;
import io.jfutures.Task;
import io.jfutures.TaskTimeoutException;
import io.jfutures.WorkerCrashedException;
import io.jfutures.base.Backend;
import io.jfutures.base.Chunk;
import io.jfutures.base.Execution;
import io.jfutures.base.SlowestTasks;
import io.jfutures.base.WorkerTimes;
import io.jfutures.codec.Codec;
import io.jfutures.jfr.TaskRan;
import io.jfutures.jfr.WorkerEnded;
import io.jfutures.jfr.WorkerStarted;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler of every back end whose tasks run elsewhere (worker processes, cluster members): it
 * owns the queue, the jobs and their fate, the cost model, retries and the broken state, and asks
 * its {@link Transport} only to start, feed, cancel, kill and retire workers.
 *
 * <p><b>Jobs.</b> Each task is encoded on the submitting thread, so a task that cannot travel fails
 * its own future at once and nothing else. Its {@link Job} then waits in {@code queue} until a
 * {@link Seat} has room, and from then on is <em>held</em> by that seat until its answer comes or
 * its worker ends. A job handed to a seat counts as running ({@link Execution#begin}): {@code
 * cancel(false)} no longer stops it, and it is withdrawn only while queued.
 *
 * <p><b>Dispatch.</b> Each worker holds as many tasks as {@link TaskCost} says (one until tasks are
 * measured, then two, or sixteen while they are short, and more where the transport reports a round
 * trip that they would not cover); {@link Seats} picks the seat with the most room and opens seats
 * on demand, up to {@link Settings#seats}, an idle seat being used before a new one opens. Where
 * each request costs something of its own ({@link Transport#sendsBundles}, a cluster), short tasks
 * travel in bundles of half a worker's depth, and a busy seat is handed whole bundles only.
 *
 * <p><b>Ends.</b> When a worker ends, each job it held meets its {@link Fate}, decided in one
 * place, {@link Fate#of}: requeued untouched if the worker had not begun it, timed out or dropped
 * if the pool killed the worker for it, requeued if the kill was meant for another, else retried
 * while retries last, else crashed. A worker that cannot start before any ever did, or three in a
 * row (ten when killed by signals), breaks the pool rather than restart forever. Once broken, every
 * waiting job and every later submit fails with the cause.
 *
 * <p><b>Locking.</b> One lock guards the queue, the seats and their jobs. Methods named {@code
 * ...Locked} run under it and return the transport calls to make once it is released ("decide under
 * the lock, act after it"), so a transport may call back at once, and futures complete, with their
 * callbacks, outside it. This class is longer than the others because every move of a job happens
 * here, under that one lock; what needs no lock of its own ({@link TaskCost}, {@link Seats}, {@link
 * Fate}) lives apart, guarded by this lock too.
 *
 * <p><b>Insights.</b> Each seat holds a place ({@link WorkerTimes}) that its replacement inherits;
 * the dispatcher writes it as it moves jobs, under the lock: start-up between open and ready, busy
 * time as the transport measured each answer, and waiting from when a seat was left with nothing
 * (or the queue last stopped being empty, if later) to when it was handed the next task. The clock
 * is read only at those moments, never per task while seats stay busy.
 *
 * @param <L> the transport's handle on one worker
 */
public final class Dispatcher<L> implements Backend {
  /**
   * What the back end decides about its pool.
   *
   * @param poolName names the pool's seats and threads
   * @param seats how many workers the dispatcher opens itself, at most; 0 where they {@linkplain
   *     #join join} by themselves
   * @param maxTasksPerSeat how many tasks a seat takes before it is retired; 0 for no limit
   * @param taskTimeout how long a task may run before its worker is killed; null for no limit
   * @param retries how many times a task whose worker died runs again before it fails
   * @param cancelsRunningTasks whether the transport can stop one running task (else {@code
   *     cancel(true)} of a running task kills its worker)
   * @param chunkTargetNanos how long an automatically sized map chunk should run, at least
   * @param dispatchNanos what sending one dispatch and taking its answer costs this side (its CPU
   *     time), which bounds how many dispatches a second it can make; 0 where that never limits
   */
  public record Settings(
      String poolName,
      int seats,
      int maxTasksPerSeat,
      Duration taskTimeout,
      int retries,
      boolean cancelsRunningTasks,
      long chunkTargetNanos,
      long dispatchNanos) {}

  private final Settings settings;
  private final Transport<L> transport;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final Seats<L> seats;
  private final TaskCost cost = new TaskCost();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<WorkerTimes> places = new ArrayList<>();
  private final SlowestTasks slowest = new SlowestTasks();
  private final Watchdog watchdog;
  private boolean shutdown;
  private boolean closing;
  private boolean anyReady;
  private int failedStartsInARow;

  /** Since when, as {@link System#nanoTime}, the queue has not been empty; for insights. */
  private long queuedSince;

  private volatile BrokenPoolException broken;
  private volatile long seatsCrashed;
  private volatile long seatsRecycledForMemory;

  public Dispatcher(Settings settings, Transport<L> transport) {
    this.settings = settings;
    this.transport = transport;
    this.seats = new Seats<>(settings.poolName(), settings.maxTasksPerSeat());
    this.watchdog =
        settings.taskTimeout() == null
            ? null
            : new Watchdog(
                settings.poolName() + "-watchdog",
                settings.taskTimeout().toNanos(),
                this::killOverdue);
  }

  // ---- Backend: the pool's side ----

  @Override
  public void execute(Execution<?> execution) {
    byte[] payload;
    try {
      payload = Codec.encode(execution.task());
    } catch (IOException e) {
      execution.completeExceptionally(e);
      return;
    }
    Job job = new Job(execution, payload, definingLoader(execution.task()));
    List<Runnable> actions = null;
    lock.lock();
    try {
      if (broken == null) {
        if (queue.isEmpty()) {
          queuedSince = System.nanoTime();
        }
        queue.addLast(job);
        actions = dispatchLocked();
      }
    } finally {
      lock.unlock();
    }
    if (actions == null) {
      execution.completeExceptionally(broken);
      return;
    }
    run(actions);
  }

  @Override
  public boolean withdraw(Execution<?> execution) {
    lock.lock();
    try {
      for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
        Job job = it.next();
        if (job.execution == execution && !job.begun) {
          it.remove();
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void shutdown() {
    List<Runnable> actions;
    lock.lock();
    try {
      shutdown = true;
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    run(actions);
  }

  @Override
  public void cancelPending() {
    List<Job> drained = new ArrayList<>();
    List<Runnable> actions;
    lock.lock();
    try {
      for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
        Job job = it.next();
        if (!job.begun) {
          it.remove();
          drained.add(job);
        }
      }
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    run(actions);
    for (Job job : drained) {
      job.execution.cancel(false);
    }
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    closed.await();
  }

  @Override
  public boolean tasksTravel() {
    return true;
  }

  @Override
  public RuntimeException brokenCause() {
    return broken;
  }

  @Override
  public int maxWorkers() {
    return settings.seats() > 0 ? settings.seats() : seats.joinedWorkers();
  }

  @Override
  public long workersStarted() {
    return seats.everReady();
  }

  @Override
  public long workersCrashed() {
    return seatsCrashed;
  }

  @Override
  public long workersRecycledForMemory() {
    return seatsRecycledForMemory;
  }

  /**
   * {@inheritDoc}
   *
   * <p>At least the settings' target, and long enough that this side, at {@link
   * Settings#dispatchNanos} a dispatch, could feed every worker twice over: with {@code W} workers
   * each finishing a chunk every {@code T}, it must send {@code W / T} chunks a second, so {@code
   * T} grows with the workers the cluster reports. A map sizes its chunks when it starts.
   */
  @Override
  public long chunkTargetNanos() {
    return Math.max(
        settings.chunkTargetNanos(), FEED_HEADROOM * settings.dispatchNanos() * maxWorkers());
  }

  /** How many times over this side could feed every worker at the chunk target. */
  static final int FEED_HEADROOM = 2;

  @Override
  public int defaultBufferSize() {
    return Math.max(4, 4 * maxWorkers());
  }

  @Override
  public PoolInsights insights(String pool, Duration elapsed) {
    List<WorkerTimes> all;
    Map<WorkerTimes, Seat<L>> held = new IdentityHashMap<>();
    lock.lock();
    try {
      all = new ArrayList<>(places);
      for (Seat<L> seat : seats) {
        held.put(seat.times, seat);
      }
    } finally {
      lock.unlock();
    }
    List<PoolInsights.Worker> workers = new ArrayList<>(all.size());
    for (WorkerTimes place : all) {
      Seat<L> seat = held.get(place);
      long memory = seat != null && seat.link() != null ? transport.residentMemory(seat) : -1;
      workers.add(place.snapshot(System.nanoTime(), memory));
    }
    return new PoolInsights(pool, elapsed, workers, slowest.snapshot());
  }

  // ---- the transport's side ----

  /** The worker of {@code seat}, which the dispatcher opened, can take tasks. */
  public void ready(Seat<L> seat) {
    List<Runnable> actions;
    WorkerStarted started;
    lock.lock();
    try {
      seats.markReady(seat);
      long now = System.nanoTime();
      seat.times.ready(now);
      seat.freeSince = now;
      started = seat.started;
      seat.started = null;
      anyReady = true;
      failedStartsInARow = 0;
      if (watchdog != null) {
        watchdog.start();
      }
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    record(started, seat);
    run(actions);
  }

  /**
   * A worker the dispatcher did not open, with {@code workers} threads, can take tasks: a cluster
   * member that joined. Returns its seat.
   */
  public Seat<L> join(L link, String name, int workers) {
    Seat<L> seat;
    List<Runnable> actions;
    lock.lock();
    try {
      seat = seats.join(link, name, workers);
      placeLocked(seat);
      long now = System.nanoTime();
      seat.times.ready(now);
      seat.freeSince = now;
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    record(seat.started, seat);
    seat.started = null;
    run(actions);
    return seat;
  }

  /**
   * The worker of {@code seat} finished {@code dispatch}, which took it {@code tookNanos} to run,
   * and whose answer came {@code tripNanos} after it was sent; either is a negative number if
   * unknown, and a transport whose workers take their tasks as they come, with no round trip
   * between two, gives no trip. Returns whether the dispatch still counts: only then does the
   * transport {@linkplain Dispatch#settle settle} it. With {@code refill} false, the seat's freed
   * room is filled later, so that a burst of answers is followed by one write of new tasks.
   */
  public boolean finished(
      Seat<L> seat, Dispatch dispatch, long tookNanos, long tripNanos, boolean refill) {
    List<Runnable> actions;
    boolean current;
    Task<?> task = null;
    lock.lock();
    try {
      Job job = dispatch.job;
      current = job.seat == seat && job.current == dispatch;
      if (current) {
        task = job.execution.task();
        seat.times.task(tookNanos, job.execution.weight());
        releaseLocked(job);
        cost.observe(tookNanos, tripNanos);
      }
      actions = refill ? dispatchLocked() : List.of();
    } finally {
      lock.unlock();
    }
    run(actions);
    if (task != null && tookNanos > 0) {
      slowest.offer(tookNanos, seat.name(), task);
    }
    TaskRan event = dispatch.event;
    if (task != null && event != null && event.shouldCommit()) {
      event.pool = settings.poolName();
      event.worker = seat.name();
      event.task = SlowestTasks.describe(task);
      event.inputs = dispatch.job.execution.weight();
      event.commit();
    }
    return current;
  }

  /**
   * The worker of {@code seat} lost {@code dispatch} as {@code ending} says, but may still work:
   * the job meets its fate, and the seat takes nothing more for {@code pauseNanos}, so that a retry
   * does not go straight back to a worker that may be dead. The transport calls {@link #redispatch}
   * once the pause is over.
   */
  public void lost(Seat<L> seat, Dispatch dispatch, Ending ending, long pauseNanos) {
    List<Runnable> actions = new ArrayList<>();
    List<Runnable> failures = new ArrayList<>(1);
    lock.lock();
    try {
      Job job = dispatch.job;
      if (job.seat != seat || job.current != dispatch) {
        return;
      }
      seat.pausedUntil = System.nanoTime() + pauseNanos;
      releaseLocked(job);
      settleLocked(job, Fate.of(seat, job, ending, settings.retries()), seat, ending, failures);
      actions.addAll(dispatchLocked());
    } finally {
      lock.unlock();
    }
    run(actions);
    run(failures);
  }

  /** Dispatches what waits for a seat that was paused. */
  public void redispatch() {
    List<Runnable> actions;
    lock.lock();
    try {
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    run(actions);
  }

  /**
   * The worker of {@code seat} skipped {@code dispatch} without running it, as its transport asked.
   * If the dispatch still counts (its task was not cancelled, which frees its place at once), the
   * job goes back to the front of the queue: it was withdrawn from a seat that is {@linkplain
   * #recycleForMemory draining}.
   */
  public void skipped(Seat<L> seat, Dispatch dispatch) {
    List<Runnable> actions;
    lock.lock();
    try {
      Job job = dispatch.job;
      if (job.seat == seat && job.current == dispatch) {
        releaseLocked(job);
        job.startedAt = 0;
        requeueLocked(job);
      }
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    run(actions);
  }

  /**
   * The worker of {@code seat} grew past the pool's memory limit between tasks: it takes nothing
   * more and is retired once it holds nothing, so that a fresh worker takes its place. The
   * transport has the worker skip what it has not begun, which comes back through {@link #skipped}.
   */
  public void recycleForMemory(Seat<L> seat) {
    List<Runnable> actions;
    lock.lock();
    try {
      if (!seat.draining && !seat.retiring && seat.kill == null) {
        seat.draining = true;
        seatsRecycledForMemory++;
      }
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    run(actions);
  }

  /**
   * The worker of {@code seat} grew far past the pool's memory limit while running a task: it is
   * killed, and the task it runs is retried while it has retries left, else it fails with the
   * transport's account of the end. Returns whether this call had it killed.
   */
  public boolean killForMemory(Seat<L> seat) {
    lock.lock();
    try {
      if (seat.kill != null || !seats.contains(seat)) {
        return false;
      }
      seat.kill = Seat.Kill.MEMORY;
      for (Job job : seat.held) {
        if (job.running()) {
          seat.killedFor = job;
          break;
        }
      }
      if (!seat.draining) {
        seatsRecycledForMemory++;
      }
    } finally {
      lock.unlock();
    }
    transport.kill(seat);
    return true;
  }

  /**
   * The worker of {@code seat} is gone, as {@code ending} says: each job it held meets its fate.
   */
  public void ended(Seat<L> seat, Ending ending) {
    List<Runnable> actions;
    String reason;
    List<Runnable> failures = new ArrayList<>();
    List<Job> stranded = List.of();
    lock.lock();
    try {
      if (!seats.remove(seat)) {
        return;
      }
      seat.times.ended(System.nanoTime());
      boolean asked = seat.retiring && ending.clean();
      reason = endReason(seat, asked);
      if (!seat.ready && !seat.retiring) {
        failedStartsInARow++;
        boolean hopeless =
            ending.exitedOnItsOwn()
                ? !anyReady || failedStartsInARow >= 3
                : failedStartsInARow >= 10;
        if (hopeless && broken == null) {
          broken =
              new BrokenPoolException(
                  "the pool is broken: a worker could not start: " + ending.description(), null);
        }
      } else if (seat.ready && seat.kill == null && !asked) {
        seatsCrashed++;
      }
      List<Job> held = seat.held;
      for (int i = held.size() - 1; i >= 0; i--) {
        Job job = held.get(i);
        job.seat = null;
        job.current = null;
        settleLocked(job, Fate.of(seat, job, ending, settings.retries()), seat, ending, failures);
      }
      held.clear();
      if (broken != null) {
        stranded = new ArrayList<>(queue);
        queue.clear();
      }
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    WorkerEnded event = new WorkerEnded();
    if (event.shouldCommit()) {
      event.pool = settings.poolName();
      event.worker = seat.name();
      event.reason = reason;
      event.details = ending.description();
      event.commit();
    }
    run(actions);
    run(failures);
    failAll(stranded);
  }

  /** Why {@code seat} ended, for the flight recorder; {@code asked} if it left as retired. */
  private static String endReason(Seat<?> seat, boolean asked) {
    if (seat.kill != null) {
      return switch (seat.kill) {
        case TIMEOUT -> "killed for a task timeout";
        case CANCEL -> "killed to cancel a task";
        case MEMORY -> "killed for memory";
      };
    }
    if (asked) {
      return seat.draining ? "recycled for memory" : "retired";
    }
    if (!seat.ready) {
      return "failed to start";
    }
    return seat.joined ? "left" : "crashed";
  }

  /** Commits {@code started}, the event of {@code seat}'s start, if it is recorded. */
  private void record(WorkerStarted started, Seat<L> seat) {
    if (started != null && started.shouldCommit()) {
      started.pool = settings.poolName();
      started.worker = seat.name();
      started.commit();
    }
  }

  /**
   * Breaks the pool with {@code cause} (the first cause stays): every queued job fails with it, and
   * so does every later submit. With {@code dropSeats}, the workers are gone too (the cluster under
   * the pool stopped), and the jobs they held fail as well. Nothing happens once the pool has
   * closed.
   */
  public void breakPool(BrokenPoolException cause, boolean dropSeats) {
    List<Job> stranded = new ArrayList<>();
    List<Runnable> actions;
    lock.lock();
    try {
      if (closing) {
        return;
      }
      if (broken == null) {
        broken = cause;
      }
      stranded.addAll(queue);
      queue.clear();
      if (dropSeats) {
        long now = System.nanoTime();
        for (Seat<L> seat : seats) {
          seat.times.ended(now);
          for (Job job : seat.held) {
            job.seat = null;
            job.current = null;
            stranded.add(job);
          }
          seat.held.clear();
        }
        seats.clear();
      }
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    run(actions);
    failAll(stranded);
  }

  // ---- decisions, under the lock ----

  /**
   * Hands queued jobs to seats with room, opening seats where none has; retires idle seats that are
   * spent or no longer needed; closes the pool once it is done. Returns the transport calls.
   */
  private List<Runnable> dispatchLocked() {
    List<Runnable> actions = new ArrayList<>(2);
    int depth = cost.depth();
    int bundle = transport.sendsBundles() ? cost.bundle() : 1;
    while (!queue.isEmpty()) {
      Seat<L> seat = seats.freest(depth);
      if (seat == null) {
        if (broken != null || !seats.mayOpen(settings.seats(), queue.size())) {
          break;
        }
        Seat<L> opened = seats.open();
        placeLocked(opened);
        actions.add(() -> transport.open(opened));
        continue;
      }
      int n = Math.min(seat.free(depth, settings.maxTasksPerSeat()), depth);
      if (bundle > 1 && !seat.held.isEmpty() && queue.size() >= bundle) {
        // Whole bundles only, to a worker that will answer and so free room again: otherwise the
        // room freed by each single answer would be refilled by a single task for ever.
        n -= n % bundle;
        if (n == 0) {
          break;
        }
      }
      boolean wasEmpty = seat.held.isEmpty();
      for (int taken = 0; taken < n && !queue.isEmpty(); ) {
        Job job = queue.pollFirst();
        if (job.execution.isDone()) {
          continue;
        }
        if (!job.begun) {
          if (!job.execution.begin(cancelled -> stop(job))) {
            continue;
          }
          job.begun = true;
        }
        if (wasEmpty) {
          wasEmpty = false;
          seat.times.waited(System.nanoTime() - Math.max(seat.freeSince, queuedSince));
        }
        job.seat = seat;
        job.current = new Dispatch(job);
        seat.held.add(job);
        seat.sent++;
        if (seat.outbox == null) {
          seat.outbox = new ArrayList<>(n);
        }
        seat.outbox.add(job.current);
        taken++;
      }
    }
    boolean winding = (shutdown || broken != null) && queue.isEmpty();
    for (int i = 0, n = seats.size(); i < n; i++) {
      Seat<L> seat = seats.get(i);
      if (seat.outbox != null) {
        List<Dispatch> batch = seat.outbox;
        seat.outbox = null;
        actions.add(() -> transport.send(seat, batch, bundle));
      }
      if (seat.ready
          && !seat.retiring
          && seat.held.isEmpty()
          && (winding || seat.draining || seats.spent(seat))) {
        seat.retiring = true;
        actions.add(
            () -> {
              seat.times.lastMeasured(transport.residentMemory(seat));
              transport.retire(seat);
            });
      }
    }
    if (winding && seats.isEmpty() && !closing) {
      closing = true;
      actions.add(this::close);
    }
    return actions;
  }

  /** Acts on {@code fate}: requeues {@code job}, or adds its failure to {@code failures}. */
  private void settleLocked(
      Job job, Fate fate, Seat<L> seat, Ending ending, List<Runnable> failures) {
    job.startedAt = 0;
    switch (fate) {
      case REQUEUE -> requeueLocked(job);
      case RETRY -> {
        job.retriesUsed++;
        requeueLocked(job);
      }
      case CRASHED -> {
        WorkerCrashedException crashed = Fate.crashed(job, ending, settings.retries());
        failures.add(() -> job.execution.completeExceptionally(crashed));
      }
      case TIMED_OUT -> {
        TaskTimeoutException timedOut = Fate.timedOut(seat, settings.taskTimeout());
        failures.add(() -> job.execution.completeExceptionally(timedOut));
      }
      case DROPPED -> {}
    }
  }

  /** Puts {@code job} back at the front of the queue. */
  private void requeueLocked(Job job) {
    if (queue.isEmpty()) {
      queuedSince = System.nanoTime();
    }
    queue.addFirst(job);
  }

  private void releaseLocked(Job job) {
    Seat<?> seat = job.seat;
    seat.held.remove(job);
    if (seat.held.isEmpty()) {
      seat.freeSince = System.nanoTime();
    }
    job.seat = null;
    job.current = null;
  }

  /**
   * Gives {@code seat}, just opened or joined, the first place that no live seat holds and whose
   * workers run as many threads, or a new place.
   */
  private void placeLocked(Seat<L> seat) {
    WorkerTimes place = null;
    for (WorkerTimes candidate : places) {
      if (candidate.threads() != seat.workers) {
        continue;
      }
      boolean taken = false;
      for (Seat<L> other : seats) {
        if (other != seat && other.times == candidate) {
          taken = true;
          break;
        }
      }
      if (!taken) {
        place = candidate;
        break;
      }
    }
    if (place == null) {
      place = new WorkerTimes(seat.workers);
      places.add(place);
    }
    seat.times = place;
    place.starting(seat.name(), System.nanoTime());
    WorkerStarted started = new WorkerStarted();
    if (started.isEnabled()) {
      started.begin();
      seat.started = started;
    }
  }

  // ---- actions, after the lock ----

  /** The stopper of a begun job that was cancelled with {@code cancel(true)}. */
  private void stop(Job job) {
    List<Runnable> actions = new ArrayList<>(2);
    lock.lock();
    try {
      @SuppressWarnings("unchecked")
      Seat<L> seat = (Seat<L>) job.seat;
      if (seat == null) {
        queue.remove(job);
      } else if (job.running() && !settings.cancelsRunningTasks()) {
        if (seat.kill == null) {
          seat.kill = Seat.Kill.CANCEL;
          seat.killedFor = job;
          actions.add(() -> transport.kill(seat));
        }
      } else {
        Dispatch dropped = job.current;
        dropped.withdrawn = true;
        releaseLocked(job);
        actions.add(() -> transport.cancel(seat, dropped));
      }
      actions.addAll(dispatchLocked());
    } finally {
      lock.unlock();
    }
    run(actions);
  }

  /**
   * The worker of {@code seat} had begun {@code dispatch} when it was told to drop it. If the
   * dispatch was {@linkplain Dispatch#withdrawn withdrawn} for a {@code cancel(true)} (the pool saw
   * it as waiting, but the worker had moved on to it) and the transport cannot stop one running
   * task, the worker is killed, as for any running task so cancelled.
   */
  public void begunBeforeSkip(Seat<L> seat, Dispatch dispatch) {
    lock.lock();
    try {
      if (!dispatch.withdrawn
          || settings.cancelsRunningTasks()
          || seat.kill != null
          || !seats.contains(seat)) {
        return;
      }
      seat.kill = Seat.Kill.CANCEL;
      seat.killedFor = dispatch.job;
    } finally {
      lock.unlock();
    }
    transport.kill(seat);
  }

  /** Kills the worker of every job that has run past the task timeout. */
  private void killOverdue(long now, long timeoutNanos) {
    List<Seat<L>> overdue = new ArrayList<>();
    lock.lock();
    try {
      for (Seat<L> seat : seats) {
        if (seat.kill != null) {
          continue;
        }
        for (Job job : seat.held) {
          long began = job.startedAt;
          if (began != 0 && now - began > timeoutNanos) {
            seat.kill = Seat.Kill.TIMEOUT;
            seat.killedFor = job;
            overdue.add(seat);
            break;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    for (Seat<L> seat : overdue) {
      transport.kill(seat);
    }
  }

  private void close() {
    if (watchdog != null) {
      watchdog.stop();
    }
    Thread.ofPlatform()
        .daemon(true)
        .name(settings.poolName() + "-close")
        .start(
            () -> {
              try {
                transport.close();
              } finally {
                closed.countDown();
              }
            });
  }

  /** The loader of the user's code in {@code task}: a map chunk's function's, else the task's. */
  private static ClassLoader definingLoader(Object task) {
    Object code = task instanceof Chunk<?, ?> chunk ? chunk.fn() : task;
    return code.getClass().getClassLoader();
  }

  private void failAll(List<Job> jobs) {
    RuntimeException cause = broken;
    for (Job job : jobs) {
      job.execution.completeExceptionally(cause);
    }
  }

  private static void run(List<Runnable> actions) {
    for (Runnable action : actions) {
      action.run();
    }
  }
}
