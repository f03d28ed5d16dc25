package io.jfutures.remote;

import java.util.List;

/**
 * How a remote back end reaches its workers: all that a {@link Dispatcher} needs from worker
 * processes or cluster members. The dispatcher decides what runs where; the transport moves bytes
 * and reports what happened, through {@link Dispatcher#ready}, {@link Dispatcher#join}, {@link
 * Dispatcher#finished}, {@link Dispatcher#lost} and {@link Dispatcher#ended}.
 *
 * <p>The dispatcher calls these methods after releasing its lock, so a transport may call back into
 * it at once. They must not block for long, except {@link #close}, and must not throw: a failure to
 * reach a worker is reported as that worker's {@linkplain Dispatcher#ended end}.
 *
 * @param <L> the transport's handle on one worker: a process, a cluster member
 */
public interface Transport<L> {
  /**
   * Starts a worker for {@code seat}, which the dispatcher has just opened: the transport {@link
   * Seat#attach attaches} its handle, then reports the worker {@linkplain Dispatcher#ready ready}
   * or {@linkplain Dispatcher#ended ended}. Called only when {@link Dispatcher.Settings#seats} is
   * positive; a transport whose seats {@linkplain Dispatcher#join join} by themselves keeps this
   * default.
   */
  default void open(Seat<L> seat) {
    throw new IllegalStateException("this transport's workers join by themselves");
  }

  /**
   * Hands {@code batch} to the worker of {@code seat}, in order. The transport marks each dispatch
   * {@linkplain Dispatch#markStarted started} when the worker begins it, as far as it can tell.
   *
   * @param bundle how many consecutive dispatches may travel as one request, run one after another
   *     by one of the worker's threads and answered together: 1 unless this transport {@linkplain
   *     #sendsBundles sends bundles} and tasks have proved short, when a request per task would
   *     cost more than the task (see {@code TaskCost.bundle()})
   */
  void send(Seat<L> seat, List<Dispatch> batch, int bundle);

  /**
   * Whether {@link #send} sends several dispatches as one request when {@code bundle} allows. Only
   * then does the dispatcher hand a busy worker tasks in whole bundles, holding back the rest of
   * the queue until a bundle's room is free; a transport whose requests cost nothing apart, such as
   * one pipe per worker, keeps this default.
   */
  default boolean sendsBundles() {
    return false;
  }

  /**
   * Tells the worker of {@code seat} to drop {@code dispatch}, whose task was cancelled. The
   * dispatcher has already freed its place and marked the dispatch {@linkplain Dispatch#withdrawn
   * withdrawn}; an answer that still comes is ignored. The call may come before {@link #send} has
   * sent the dispatch, which then must not send it. A transport that cannot stop one running task
   * reports a worker that had already begun it to {@link Dispatcher#begunBeforeSkip}.
   */
  void cancel(Seat<L> seat, Dispatch dispatch);

  /**
   * Kills the worker of {@code seat}, which then {@linkplain Dispatcher#ended ends}. Called only
   * when {@link Dispatcher.Settings#cancelsRunningTasks} is false or a task timeout is set.
   */
  default void kill(Seat<L> seat) {
    throw new IllegalStateException("this transport cannot kill a worker");
  }

  /**
   * The resident memory in bytes of the worker of {@code seat}, for the pool's insights; -1 where
   * the transport cannot tell.
   */
  default long residentMemory(Seat<L> seat) {
    return -1;
  }

  /** The worker of {@code seat} gets no more tasks: let it go; it reports its end once gone. */
  void retire(Seat<L> seat);

  /**
   * The pool is done: every seat has ended and no task is left. Releases what the transport holds.
   * Called once, on a thread of its own; may block.
   */
  void close();
}
