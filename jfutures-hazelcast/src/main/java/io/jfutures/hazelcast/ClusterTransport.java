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
import io.jfutures.remote.Dispatch;
import io.jfutures.remote.Dispatcher;
import io.jfutures.remote.Ending;
import io.jfutures.remote.Seat;
import io.jfutures.remote.Transport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a pool's tasks on the members of a Hazelcast cluster, through the cluster's executor service
 * named {@value #EXECUTOR}: the {@link Transport} of a {@link Dispatcher}, which decides what runs
 * where. Each member is a seat with as many workers as its {@value #WORKERS_ATTRIBUTE} attribute
 * says ({@link ClusterPool#memberConfig} sets it), else {@value #DEFAULT_MEMBER_WORKERS}, the size
 * of Hazelcast's default executor.
 *
 * <p>A dispatch that comes back with a sign that its member is gone ends the member's seat if the
 * cluster no longer lists it, and otherwise is lost alone, the member pausing for {@value
 * #LOST_MEMBER_PAUSE_MILLIS} ms so that a retry does not go back to a member the cluster has not
 * yet seen die. A cancelled task is cancelled on its member ({@code Future.cancel(true)} interrupts
 * it there); a member is never killed for one task.
 *
 * <p>A member that lacks a class of a task asks this pool's {@link ClientCode} for it, which serves
 * it from the class loader that defined the task.
 *
 * <p>Answers are handled, and futures settle with their callbacks, on the pool's own daemon
 * threads, never on Hazelcast's, which must not block. If the instance stops under a running pool,
 * the pool is broken; once the pool is done, it shuts the instance down if it started it.
 */
final class ClusterTransport implements Transport<Member> {
  static final String EXECUTOR = "jfutures";
  static final String WORKERS_ATTRIBUTE = "jfutures.workers";
  static final int DEFAULT_MEMBER_WORKERS = ExecutorConfig.DEFAULT_POOL_SIZE;
  private static final long LOST_MEMBER_PAUSE_MILLIS = 5_000;

  /**
   * A chunk of a map crosses the network and two codecs: 20 ms keeps that a few percent of its
   * time.
   */
  private static final long CHUNK_TARGET_NANOS = 20_000_000;

  /**
   * What one dispatch costs a client: encoding, Hazelcast's invocation and response, the completion
   * hop and decoding, in CPU time (measured by {@code jfutures-bench}'s {@code ClusterScaling}).
   * With the feed headroom it sets the chunk target for large clusters.
   */
  private static final long DISPATCH_NANOS = 60_000;

  /** Stands in {@code remotes} for a dispatch cancelled before it was sent. */
  private static final Future<byte[]> CANCELLED = CompletableFuture.failedFuture(new Error());

  /**
   * Stands in {@code remotes} for a dispatch sent in a bundle, which cannot be stopped alone:
   * cancelling it does nothing; the bundle's other tasks are short and run on.
   */
  private static final Future<byte[]> IN_BUNDLE =
      new CompletableFuture<>() {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
          return false;
        }
      };

  private static final System.Logger LOG = System.getLogger("io.jfutures");

  private final HazelcastInstance instance;
  private final boolean ownsInstance;
  private final String stoppedMessage;
  private final IExecutorService executor;
  private final ExecutorService completions;
  private final Dispatcher<Member> dispatcher;
  private final Map<UUID, Seat<Member>> seats = new ConcurrentHashMap<>();
  private final Map<Dispatch, Future<byte[]>> remotes = new ConcurrentHashMap<>();
  private final ClientCode code;
  private final UUID membershipRegistration;
  private final UUID lifecycleRegistration;

  /**
   * @param ownsInstance whether the pool started {@code instance} and shuts it down when done
   * @param stoppedMessage what the pool's users are told if the instance stops under the pool
   * @param loader resolves the classes of results and exceptions that come back
   */
  private ClusterTransport(
      String poolName,
      HazelcastInstance instance,
      boolean ownsInstance,
      int retries,
      String stoppedMessage,
      ClassLoader loader) {
    this.instance = instance;
    this.ownsInstance = ownsInstance;
    this.stoppedMessage = stoppedMessage;
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
    this.code = new ClientCode(instance, this::async);
    this.dispatcher =
        new Dispatcher<>(
            new Dispatcher.Settings(
                poolName, 0, 0, null, retries, true, CHUNK_TARGET_NANOS, DISPATCH_NANOS),
            this);
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
                    async(() -> joined(List.of(event.getMember())));
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    async(() -> left(event.getMember(), null));
                  }
                });
    joined(instance.getCluster().getMembers());
  }

  /** The back end of a cluster pool on {@code instance}. */
  static Backend backend(
      String poolName,
      HazelcastInstance instance,
      boolean ownsInstance,
      int retries,
      String stoppedMessage,
      ClassLoader loader) {
    return new ClusterTransport(poolName, instance, ownsInstance, retries, stoppedMessage, loader)
        .dispatcher;
  }

  /** Each request costs a Hazelcast invocation, a response and a completion: short tasks bundle. */
  @Override
  public boolean sendsBundles() {
    return true;
  }

  @Override
  public void send(Seat<Member> seat, List<Dispatch> batch, int bundle) {
    if (bundle <= 1) {
      for (Dispatch dispatch : batch) {
        sendOne(seat, dispatch);
      }
      return;
    }
    for (int from = 0; from < batch.size(); from += bundle) {
      List<Dispatch> part = batch.subList(from, Math.min(batch.size(), from + bundle));
      if (part.size() == 1) {
        sendOne(seat, part.get(0));
      } else {
        sendBundle(seat, List.copyOf(part));
      }
    }
  }

  private RemoteCall callOf(Dispatch dispatch) {
    return new RemoteCall(dispatch.payload(), code.programId, code.loaders.idOf(dispatch.loader()));
  }

  private void sendOne(Seat<Member> seat, Dispatch dispatch) {
    Future<byte[]> remote;
    try {
      remote = executor.submitToMember(callOf(dispatch), seat.link());
    } catch (RuntimeException e) {
      remotes.remove(dispatch);
      async(() -> ended(seat, dispatch, null, e, true, System.nanoTime()));
      return;
    }
    dispatch.markStarted(System.nanoTime());
    if (remotes.putIfAbsent(dispatch, remote) == CANCELLED) {
      remotes.remove(dispatch);
      remote.cancel(true);
    }
    @SuppressWarnings("unchecked")
    CompletionStage<byte[]> stage = (CompletionStage<byte[]>) remote;
    stage.whenCompleteAsync(
        (answer, error) -> ended(seat, dispatch, answer, error, true, System.nanoTime()),
        this::async);
  }

  /**
   * Sends {@code part} as one request. Its dispatches stand in {@code remotes} as {@link
   * #IN_BUNDLE}: cancelling one leaves the bundle running, and its answer is dropped.
   */
  private void sendBundle(Seat<Member> seat, List<Dispatch> part) {
    List<RemoteCall> calls = new ArrayList<>(part.size());
    for (Dispatch dispatch : part) {
      calls.add(callOf(dispatch));
    }
    Future<byte[][]> remote;
    try {
      remote = executor.submitToMember(new RemoteBundle(calls), seat.link());
    } catch (RuntimeException e) {
      for (Dispatch dispatch : part) {
        remotes.remove(dispatch);
      }
      async(() -> bundleEnded(seat, part, null, e));
      return;
    }
    long now = System.nanoTime();
    for (Dispatch dispatch : part) {
      dispatch.markStarted(now);
      if (remotes.putIfAbsent(dispatch, IN_BUNDLE) == CANCELLED) {
        remotes.remove(dispatch);
      }
    }
    @SuppressWarnings("unchecked")
    CompletionStage<byte[][]> stage = (CompletionStage<byte[][]>) remote;
    stage.whenCompleteAsync(
        (answers, error) -> bundleEnded(seat, part, answers, error), this::async);
  }

  /**
   * A bundle came back: each dispatch ends with its own answer, or all with {@code error}; the
   * seat's freed room is filled once, after the last, so that the next bundle goes out whole.
   */
  private void bundleEnded(
      Seat<Member> seat, List<Dispatch> part, byte[][] answers, Throwable error) {
    long now = System.nanoTime();
    for (int i = 0; i < part.size(); i++) {
      ended(
          seat, part.get(i), answers == null ? null : answers[i], error, i == part.size() - 1, now);
    }
  }

  @Override
  public void cancel(Seat<Member> seat, Dispatch dispatch) {
    Future<byte[]> remote = remotes.putIfAbsent(dispatch, CANCELLED);
    if (remote != null) {
      remotes.remove(dispatch);
      remote.cancel(true);
    }
  }

  /** A member is not stopped for the pool: its seat just leaves. */
  @Override
  public void retire(Seat<Member> seat) {
    seats.remove(seat.link().getUuid(), seat);
    dispatcher.ended(seat, Ending.retired(seat.name() + " was let go"));
  }

  @Override
  public void close() {
    code.close();
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
    }
  }

  /**
   * A dispatch came back with {@code answer}, or with {@code error} from Hazelcast, at {@code
   * cameAt} ({@link System#nanoTime}; one reading for a whole bundle); with {@code refill} false,
   * the seat's freed room is filled later.
   */
  private void ended(
      Seat<Member> seat,
      Dispatch dispatch,
      byte[] answer,
      Throwable error,
      boolean refill,
      long cameAt) {
    remotes.remove(dispatch);
    Throwable cause = unwrap(error);
    Member member = seat.link();
    if (cause != null && isMemberLoss(cause)) {
      if (!isMember(member)) {
        left(member, cause);
        return;
      }
      dispatcher.lost(
          seat,
          dispatch,
          memberLost(member, cause),
          TimeUnit.MILLISECONDS.toNanos(LOST_MEMBER_PAUSE_MILLIS));
      CompletableFuture.delayedExecutor(
              LOST_MEMBER_PAUSE_MILLIS, TimeUnit.MILLISECONDS, this::async)
          .execute(dispatcher::redispatch);
      return;
    }
    long took = answer != null ? RemoteCall.runNanos(answer) : -1;
    long trip = cameAt - dispatch.startedAt();
    if (!dispatcher.finished(seat, dispatch, took, trip, refill)) {
      return;
    }
    if (cause != null) {
      dispatch.fail(
          new TaskFailedException(
              "cluster member " + addressOf(member) + " could not run the task: " + cause, cause));
    } else {
      dispatch.settle(
          RemoteCall.isFailure(answer),
          answer,
          RemoteCall.HEADER,
          answer.length - RemoteCall.HEADER);
    }
  }

  private static Ending memberLost(Member member, Throwable cause) {
    return Ending.lost(
        "cluster member "
            + addressOf(member)
            + " ("
            + member.getUuid()
            + ") left the cluster, crashed or lost its connection while running the task",
        cause,
        new WorkerCrashedException.Facts(
            "cluster member " + addressOf(member), null, null, null, null, List.of(), null, -1));
  }

  private void joined(Collection<Member> members) {
    for (Member member : members) {
      seats.computeIfAbsent(
          member.getUuid(),
          uuid ->
              dispatcher.join(member, "cluster member " + addressOf(member), workersOf(member)));
    }
  }

  /** {@code member} left the cluster: every job it ran is retried elsewhere or fails. */
  private void left(Member member, Throwable cause) {
    Seat<Member> seat = seats.remove(member.getUuid());
    if (seat != null) {
      dispatcher.ended(seat, memberLost(member, cause));
    }
  }

  /** The instance stopped: unless the pool stopped it, the pool is broken. */
  private void instanceStopped() {
    seats.clear();
    dispatcher.breakPool(new BrokenPoolException(stoppedMessage, null), true);
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
