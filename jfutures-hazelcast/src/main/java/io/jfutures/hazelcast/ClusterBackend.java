package io.jfutures.hazelcast;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.jfutures.BrokenPoolException;
import io.jfutures.TaskFailedException;
import io.jfutures.WorkerCrashedException;
import io.jfutures.base.Backend;
import io.jfutures.base.Execution;
import io.jfutures.codec.Codec;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a pool's tasks on the members of a Hazelcast cluster, through the cluster's executor service
 * named {@value #EXECUTOR}.
 *
 * <p>Each task is encoded on the submitting thread, so a task that cannot travel fails its own
 * future at once. The pool keeps its own queue and gives each member a few tasks per worker (its
 * {@value #WORKERS_ATTRIBUTE} attribute, which {@link ClusterPool#memberConfig} sets, or else
 * {@value #DEFAULT_MEMBER_WORKERS}, the size of Hazelcast's default executor), the rest waiting in
 * the member's executor queue: two per worker while tasks are slow, so that a worker starts its
 * next task without waiting for a round trip, and up to {@value #MAX_DEPTH} once they prove short
 * (under {@value #SHORT_TASK_NANOS} ns on average, as members measure them), so that a run of tiny
 * tasks is not paid for in round trips. A task counts as running from the moment it is handed to a
 * member; until then it can be cancelled or withdrawn, as in the other back ends.
 *
 * <p>A task handed to a member is a <em>dispatch</em>, numbered by the job's {@code attempt}. A
 * dispatch ends in one of three ways, and only the first counts: its answer (or a Hazelcast error)
 * comes back; the cluster reports its member removed, which ends every dispatch on that member at
 * once; or the task is cancelled. Invariant: a job not yet settled is in {@code queue} or in
 * exactly one seat's {@code running} set, never both, and every path that takes it out of one
 * either puts it in the other or settles its future.
 *
 * <p>A job whose member was lost (it left, crashed, or its connection died) goes back to the front
 * of the queue while it has retries left, and otherwise fails with {@link WorkerCrashedException}
 * naming the member. A member that lost a task gets no new ones until the cluster removes it or
 * {@link #LOST_MEMBER_PAUSE_MILLIS} pass, so that retries do not go back to a dead member before
 * the cluster has noticed its death.
 *
 * <p>Futures settle, and their callbacks run, on the pool's own daemon threads, never on
 * Hazelcast's, which must not block. Once shut down with nothing queued or running, the back end
 * shuts down the Hazelcast instance if the pool started it; if the instance stops under a running
 * pool, the pool is broken and every task still waiting fails with {@link BrokenPoolException}.
 */
final class ClusterBackend implements Backend {
  static final String EXECUTOR = "jfutures";
  static final String WORKERS_ATTRIBUTE = "jfutures.workers";
  static final int DEFAULT_MEMBER_WORKERS = ExecutorConfig.DEFAULT_POOL_SIZE;
  private static final long LOST_MEMBER_PAUSE_MILLIS = 5_000;
  static final long SHORT_TASK_NANOS = 1_000_000;
  static final int MAX_DEPTH = 16;

  private static final System.Logger LOG = System.getLogger("io.jfutures");

  /** A task of the pool, across its dispatches. Fields are guarded by the back end's lock. */
  private static final class Job {
    final Execution<?> execution;
    final byte[] payload;
    boolean started;
    int attempt;
    int crashes;
    Seat seat;
    Future<byte[]> remote;

    Job(Execution<?> execution, byte[] payload) {
      this.execution = execution;
      this.payload = payload;
    }
  }

  /** A member and the jobs it runs for this pool. Guarded by the back end's lock. */
  private static final class Seat {
    final Member member;
    final int workers;
    final Set<Job> running = new HashSet<>();
    long pausedUntil;

    Seat(Member member, int workers) {
      this.member = member;
      this.workers = workers;
    }

    int free(long now, int depth) {
      return now - pausedUntil < 0 ? 0 : workers * depth - running.size();
    }
  }

  /** One handing of a job to a member, to perform once the lock is released. */
  private record Dispatch(Job job, Member member, int attempt) {}

  private final HazelcastInstance instance;
  private final String stoppedMessage;
  private final boolean ownsInstance;
  private final int retries;
  private final IExecutorService executor;
  private final ExecutorService completions;

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final List<Seat> seats = new ArrayList<>();
  private int rotation;
  private double averageTaskNanos = Double.NaN;
  private boolean shutdown;
  private boolean releasing;
  private volatile BrokenPoolException broken;
  private volatile int workers;
  private volatile long membersSeen;
  private volatile long membersLost;
  private final CountDownLatch released = new CountDownLatch(1);
  private final UUID membershipRegistration;
  private final UUID lifecycleRegistration;

  /**
   * @param ownsInstance whether the pool started {@code instance} and shuts it down when done
   * @param stoppedMessage what the pool's users are told if the instance stops under the pool
   * @param loader resolves the classes of results and exceptions that come back
   */
  ClusterBackend(
      HazelcastInstance instance,
      boolean ownsInstance,
      int retries,
      String stoppedMessage,
      ClassLoader loader) {
    this.instance = instance;
    this.stoppedMessage = stoppedMessage;
    this.ownsInstance = ownsInstance;
    this.retries = retries;
    this.executor = instance.getExecutorService(EXECUTOR);
    AtomicInteger threads = new AtomicInteger();
    this.completions =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "jfutures-cluster-" + threads.getAndIncrement());
              t.setDaemon(true);
              t.setContextClassLoader(loader);
              return t;
            });
    this.lifecycleRegistration =
        instance
            .getLifecycleService()
            .addLifecycleListener(
                event -> {
                  if (event.getState() == LifecycleState.SHUTTING_DOWN
                      || event.getState() == LifecycleState.SHUTDOWN) {
                    async(this::instanceStopped);
                  }
                });
    this.membershipRegistration =
        instance
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {
                    joined(List.of(event.getMember()));
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    async(() -> left(event.getMember(), null));
                  }
                });
    joined(instance.getCluster().getMembers());
  }

  @Override
  public void execute(Execution<?> execution) {
    byte[] payload;
    try {
      payload = Codec.encode(execution.task());
    } catch (IOException e) {
      execution.completeExceptionally(e);
      return;
    }
    Job job = new Job(execution, payload);
    List<Dispatch> dispatches;
    lock.lock();
    try {
      if (broken != null) {
        dispatches = null;
      } else {
        queue.addLast(job);
        dispatches = dispatchLocked();
      }
    } finally {
      lock.unlock();
    }
    if (dispatches == null) {
      execution.completeExceptionally(broken);
      return;
    }
    send(dispatches);
  }

  /** Hands queued jobs to the members with the most free workers. */
  private List<Dispatch> dispatchLocked() {
    List<Dispatch> dispatches = null;
    long now = System.nanoTime();
    while (!queue.isEmpty()) {
      Seat seat = freestSeatLocked(now);
      if (seat == null) {
        break;
      }
      Job job = queue.pollFirst();
      if (!job.started) {
        if (!job.execution.begin(execution -> stop(job))) {
          continue;
        }
        job.started = true;
      }
      job.attempt++;
      job.seat = seat;
      seat.running.add(job);
      if (dispatches == null) {
        dispatches = new ArrayList<>();
      }
      dispatches.add(new Dispatch(job, seat.member, job.attempt));
    }
    return dispatches == null ? List.of() : dispatches;
  }

  /** The seat with the most free workers, taking turns among equals; null if none is free. */
  private Seat freestSeatLocked(long now) {
    Seat best = null;
    int bestFree = 0;
    int n = seats.size();
    int first = n == 0 ? 0 : Math.floorMod(rotation++, n);
    int depth = averageTaskNanos < SHORT_TASK_NANOS ? MAX_DEPTH : 2;
    for (int i = 0; i < n; i++) {
      Seat seat = seats.get((first + i) % n);
      int free = seat.free(now, depth);
      if (free > bestFree) {
        best = seat;
        bestFree = free;
      }
    }
    return best;
  }

  private void send(List<Dispatch> dispatches) {
    for (Dispatch dispatch : dispatches) {
      Future<byte[]> remote;
      try {
        remote = executor.submitToMember(new RemoteCall(dispatch.job.payload), dispatch.member);
      } catch (RuntimeException e) {
        async(() -> ended(dispatch, null, e));
        continue;
      }
      boolean stale;
      lock.lock();
      try {
        stale = dispatch.job.attempt != dispatch.attempt || dispatch.job.seat == null;
        if (!stale) {
          dispatch.job.remote = remote;
        }
      } finally {
        lock.unlock();
      }
      if (stale) {
        remote.cancel(true);
        continue;
      }
      @SuppressWarnings("unchecked")
      CompletionStage<byte[]> stage = (CompletionStage<byte[]>) remote;
      stage.whenCompleteAsync((answer, error) -> ended(dispatch, answer, error), this::async);
    }
  }

  /** A dispatch came back with {@code answer}, or with {@code error} from Hazelcast. */
  private void ended(Dispatch dispatch, byte[] answer, Throwable error) {
    Job job = dispatch.job;
    Throwable cause = unwrap(error);
    if (cause != null && isMemberLoss(cause)) {
      if (!isMember(dispatch.member)) {
        left(dispatch.member, cause);
        return;
      }
      lost(dispatch, cause);
      return;
    }
    List<Dispatch> dispatches;
    lock.lock();
    try {
      if (job.attempt != dispatch.attempt || job.seat == null) {
        return;
      }
      releaseLocked(job);
      if (answer != null) {
        long took = RemoteCall.runNanos(answer);
        averageTaskNanos =
            Double.isNaN(averageTaskNanos) ? took : 0.8 * averageTaskNanos + 0.2 * took;
      }
      dispatches = dispatchLocked();
      releaseIfDoneLocked();
    } finally {
      lock.unlock();
    }
    send(dispatches);
    settle(job.execution, dispatch.member, answer, cause);
  }

  private static void settle(
      Execution<?> execution, Member member, byte[] answer, Throwable cause) {
    if (cause != null) {
      execution.completeExceptionally(
          new TaskFailedException(
              "cluster member " + addressOf(member) + " could not run the task: " + cause, cause));
      return;
    }
    Object decoded;
    try {
      decoded = RemoteCall.decodeAnswer(answer);
    } catch (IOException | ClassNotFoundException unreadable) {
      execution.completeExceptionally(unreadable);
      return;
    }
    if (RemoteCall.isFailure(answer)) {
      execution.completeExceptionally((Throwable) decoded);
    } else {
      @SuppressWarnings("unchecked")
      Execution<Object> target = (Execution<Object>) execution;
      target.complete(decoded);
    }
  }

  /** The member of {@code dispatch} lost its job but is still listed: retry elsewhere, pause it. */
  private void lost(Dispatch dispatch, Throwable cause) {
    Job job = dispatch.job;
    List<Dispatch> dispatches;
    Runnable failure;
    lock.lock();
    try {
      if (job.attempt != dispatch.attempt || job.seat == null) {
        return;
      }
      Seat seat = job.seat;
      seat.pausedUntil =
          System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOST_MEMBER_PAUSE_MILLIS);
      releaseLocked(job);
      failure = retryOrFailLocked(job, dispatch.member, cause);
      dispatches = dispatchLocked();
      releaseIfDoneLocked();
    } finally {
      lock.unlock();
    }
    CompletableFuture.delayedExecutor(LOST_MEMBER_PAUSE_MILLIS, TimeUnit.MILLISECONDS, this::async)
        .execute(this::redispatch);
    send(dispatches);
    if (failure != null) {
      failure.run();
    }
  }

  /** {@code member} left the cluster: every job it ran is retried elsewhere or fails. */
  private void left(Member member, Throwable cause) {
    List<Dispatch> dispatches;
    List<Runnable> failures = new ArrayList<>();
    lock.lock();
    try {
      Seat seat = seatOf(member);
      if (seat == null) {
        return;
      }
      seats.remove(seat);
      membersLost++;
      workers -= seat.workers;
      for (Job job : List.copyOf(seat.running)) {
        releaseLocked(job);
        Runnable failure = retryOrFailLocked(job, member, cause);
        if (failure != null) {
          failures.add(failure);
        }
      }
      dispatches = dispatchLocked();
      releaseIfDoneLocked();
    } finally {
      lock.unlock();
    }
    send(dispatches);
    failures.forEach(Runnable::run);
  }

  /** Puts {@code job} back at the head of the queue if it has retries left; else its failure. */
  private Runnable retryOrFailLocked(Job job, Member member, Throwable cause) {
    if (job.crashes < retries) {
      job.crashes++;
      queue.addFirst(job);
      return null;
    }
    String tries =
        retries == 0 ? "" : " (ran " + (job.crashes + 1) + " times; retries=" + retries + ")";
    WorkerCrashedException crashed =
        new WorkerCrashedException(
            "cluster member "
                + addressOf(member)
                + " ("
                + member.getUuid()
                + ") left the cluster, crashed or lost its connection while running the task"
                + tries,
            cause);
    return () -> job.execution.completeExceptionally(crashed);
  }

  private void releaseLocked(Job job) {
    job.seat.running.remove(job);
    job.seat = null;
    job.remote = null;
  }

  private Seat seatOf(Member member) {
    for (Seat seat : seats) {
      if (seat.member.getUuid().equals(member.getUuid())) {
        return seat;
      }
    }
    return null;
  }

  private void joined(Collection<Member> members) {
    List<Dispatch> dispatches;
    lock.lock();
    try {
      for (Member member : members) {
        if (seatOf(member) == null) {
          Seat seat = new Seat(member, workersOf(member));
          seats.add(seat);
          membersSeen++;
          workers += seat.workers;
        }
      }
      dispatches = dispatchLocked();
    } finally {
      lock.unlock();
    }
    if (!dispatches.isEmpty()) {
      async(() -> send(dispatches));
    }
  }

  /** {@code host:port}, without Hazelcast's brackets. */
  static String addressOf(Member member) {
    return member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }

  private static int workersOf(Member member) {
    String declared = member.getAttribute(WORKERS_ATTRIBUTE);
    if (declared != null) {
      try {
        return Math.max(1, Integer.parseInt(declared));
      } catch (NumberFormatException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "member {0} has {1}={2}, not a number; counting {3} workers",
            addressOf(member),
            WORKERS_ATTRIBUTE,
            declared,
            DEFAULT_MEMBER_WORKERS);
      }
    }
    return DEFAULT_MEMBER_WORKERS;
  }

  private void redispatch() {
    List<Dispatch> dispatches;
    lock.lock();
    try {
      dispatches = dispatchLocked();
    } finally {
      lock.unlock();
    }
    send(dispatches);
  }

  /** The stopper of a cancelled running job: frees its worker and cancels it on its member. */
  private void stop(Job job) {
    Future<byte[]> remote = null;
    List<Dispatch> dispatches;
    lock.lock();
    try {
      job.attempt++;
      if (job.seat != null) {
        remote = job.remote;
        releaseLocked(job);
      } else {
        queue.remove(job);
      }
      dispatches = dispatchLocked();
      releaseIfDoneLocked();
    } finally {
      lock.unlock();
    }
    send(dispatches);
    if (remote != null) {
      remote.cancel(true);
    }
  }

  /** The instance stopped: unless the pool stopped it, the pool is broken. */
  private void instanceStopped() {
    List<Job> stranded = new ArrayList<>();
    BrokenPoolException cause;
    lock.lock();
    try {
      if (releasing) {
        return;
      }
      releasing = true;
      cause = new BrokenPoolException(stoppedMessage, null);
      broken = cause;
      stranded.addAll(queue);
      queue.clear();
      for (Seat seat : seats) {
        stranded.addAll(seat.running);
        seat.running.clear();
      }
      seats.clear();
      workers = 0;
    } finally {
      lock.unlock();
    }
    for (Job job : stranded) {
      job.execution.completeExceptionally(cause);
    }
    completions.shutdown();
    released.countDown();
  }

  /** Once shut down with nothing left to run, lets go of the instance, on a thread of its own. */
  private void releaseIfDoneLocked() {
    if (!shutdown
        || releasing
        || !queue.isEmpty()
        || seats.stream().anyMatch(seat -> !seat.running.isEmpty())) {
      return;
    }
    releasing = true;
    Thread release =
        new Thread(
            () -> {
              try {
                if (ownsInstance) {
                  instance.shutdown();
                } else {
                  instance.getCluster().removeMembershipListener(membershipRegistration);
                  instance.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
                }
              } catch (IllegalStateException alreadyDown) {
                // A member says HazelcastInstanceNotActiveException, a client
                // HazelcastClientNotActiveException: nothing is left to release.
              } finally {
                completions.shutdown();
                released.countDown();
              }
            },
            "jfutures-cluster-release");
    release.setDaemon(true);
    release.start();
  }

  @Override
  public boolean withdraw(Execution<?> execution) {
    lock.lock();
    try {
      for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
        Job job = it.next();
        if (job.execution == execution && !job.started) {
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
    lock.lock();
    try {
      shutdown = true;
      releaseIfDoneLocked();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void cancelPending() {
    List<Job> pending = new ArrayList<>();
    lock.lock();
    try {
      for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
        Job job = it.next();
        if (!job.started) {
          it.remove();
          pending.add(job);
        }
      }
      releaseIfDoneLocked();
    } finally {
      lock.unlock();
    }
    for (Job job : pending) {
      job.execution.cancel(false);
    }
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    released.await();
  }

  @Override
  public RuntimeException brokenCause() {
    return broken;
  }

  @Override
  public int maxWorkers() {
    return workers;
  }

  @Override
  public long workersStarted() {
    return membersSeen;
  }

  @Override
  public long workersCrashed() {
    return membersLost;
  }

  /** A chunk crosses the network and two codecs: 20 ms keeps that a few percent of its time. */
  @Override
  public long chunkTargetNanos() {
    return 20_000_000;
  }

  @Override
  public int defaultBufferSize() {
    return Math.max(4, 4 * workers);
  }

  /**
   * Runs {@code action} on the pool's threads; once the pool has let go, there is nothing to do.
   */
  private void async(Runnable action) {
    try {
      completions.execute(action);
    } catch (RejectedExecutionException released) {
      // the pool is done: every job is settled
    }
  }

  private boolean isMember(Member member) {
    try {
      return instance.getCluster().getMembers().contains(member);
    } catch (IllegalStateException stopped) {
      return false;
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Whether {@code cause} says the member, or the connection to it, is gone. */
  private static boolean isMemberLoss(Throwable cause) {
    return cause instanceof MemberLeftException
        || cause instanceof TargetDisconnectedException
        || cause instanceof TargetNotMemberException
        || cause instanceof HazelcastInstanceNotActiveException
        || cause instanceof HazelcastClientOfflineException
        || cause instanceof HazelcastClientNotActiveException
        || cause instanceof RejectedExecutionException;
  }
}
