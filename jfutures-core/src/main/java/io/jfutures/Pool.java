package io.jfutures;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;

/**
 * Runs tasks on a set of workers: threads ({@link ThreadPool}), worker processes or cluster
 * members. The same {@link Task} and {@link Fn} lambdas run on all of them.
 *
 * <h2>map</h2>
 *
 * {@code map} returns a lazy {@link Stream}: nothing is submitted until the stream is consumed, and
 * inputs are pulled only as results are taken, so an endless input works and memory stays bounded
 * by {@link MapOptions#bufferSize} chunks whatever the input's size. Results come in input order
 * unless {@link MapOptions#unordered()}. Inputs are grouped into chunks, one task each; by default
 * the pool sizes them from the measured cost of the function, so that tiny functions are batched
 * and slow ones are not. When the stream reaches a failed element it throws {@link
 * TaskFailedException} and cancels everything still pending; closing the stream, or a
 * short-circuiting terminal operation on it ({@code findFirst}, {@code anyMatch}, {@code limit}
 * ...), cancels what is pending too. Cancelling a chunk here means it will not start; a chunk
 * already running finishes and its results are dropped.
 *
 * <h2>Shutdown</h2>
 *
 * {@link #shutdown} is idempotent. After it, {@code submit} and {@code map} throw {@link
 * RejectedExecutionException}. A program whose {@code main} returns without closing a pool still
 * finishes every task already submitted, and then exits.
 */
public interface Pool extends AutoCloseable {
  /**
   * Schedules {@code task} and returns its future at once.
   *
   * @throws RejectedExecutionException if the pool is shut down
   * @throws BrokenPoolException if the pool is broken
   */
  <T> TaskFuture<T> submit(Task<T> task);

  /** {@code map(fn, inputs, MapOptions.defaults())}. */
  <A, R> Stream<R> map(Fn<? super A, ? extends R> fn, Iterable<? extends A> inputs);

  /**
   * Applies {@code fn} to every input on the pool's workers; see the class comment.
   *
   * @throws RejectedExecutionException if the pool is shut down (also thrown by the stream if the
   *     pool is shut down before the stream is consumed)
   */
  <A, R> Stream<R> map(
      Fn<? super A, ? extends R> fn, Iterable<? extends A> inputs, MapOptions options);

  /** Like the {@code Iterable} form; closing the returned stream closes {@code inputs}. */
  <A, R> Stream<R> map(
      Fn<? super A, ? extends R> fn, Stream<? extends A> inputs, MapOptions options);

  /**
   * Stops the pool taking new tasks. Idempotent.
   *
   * @param wait block until every task that was not cancelled has finished and every worker has
   *     exited
   * @param cancelPending cancel the tasks that have not started yet
   */
  void shutdown(boolean wait, boolean cancelPending);

  /** {@code shutdown(true, false)}. */
  @Override
  void close();

  boolean isShutdown();

  /** The most workers (threads or processes) this pool runs at once. */
  int maxWorkers();

  PoolStats stats();

  /**
   * This pool as a {@link ExecutorService}, for code that takes one: {@code
   * CompletableFuture.supplyAsync(supplier, executor)}, {@code HttpClient.Builder.executor},
   * Spring's {@code TaskExecutor}, Reactor's {@code Schedulers.fromExecutorService}, {@code
   * invokeAll}. It is a view, not a copy: its tasks run on this pool's workers and count in its
   * stats and insights, the futures it returns are this pool's {@link TaskFuture}s, and shutting it
   * down shuts the pool down. Each call returns the same view. Every method behaves as {@link
   * ExecutorService} says:
   *
   * <ul>
   *   <li>{@code shutdownNow} cancels every task the view was given that has not started and
   *       returns them ({@code execute}'s and {@code submit(Runnable)}'s as given, a {@code
   *       Callable} in a {@link java.util.concurrent.FutureTask}), cancels the pool's other pending
   *       tasks, and stops the view's running ones as {@code cancel(true)} does: a thread is
   *       interrupted, a worker process killed;
   *   <li>{@code isTerminated} and {@code awaitTermination} wait for the pool's every task and
   *       worker;
   *   <li>a task given to {@code execute} that throws is logged ({@code System.Logger}
   *       "io.jfutures", WARNING), as a pool thread's uncaught exception would be.
   * </ul>
   *
   * <p><b>On a process or cluster pool tasks travel</b>, so a {@code Runnable} or {@code Callable}
   * handed to the view must be serializable with everything it captures. One that is not fails its
   * own future at once through {@code submit} and {@code invokeAll}/{@code invokeAny}, naming the
   * class that cannot travel, and is refused with a {@link RejectedExecutionException} saying so
   * through {@code execute}, which has no future; the pool goes on. That is what {@code
   * CompletableFuture.supplyAsync(supplier, view)} and {@code runAsync} meet there: the JDK wraps
   * the supplier in a task class of its own, which is not serializable. Instead, {@code
   * pool.submit(task)} already returns a {@link java.util.concurrent.CompletableFuture}:
   *
   * <pre>{@code
   * CompletableFuture<Report> report = pool.submit(() -> analyse(dataset));   // a Task lambda travels
   * Callable<Report> call = (Callable<Report> & Serializable) () -> analyse(dataset);
   * Future<Report> same = pool.asExecutorService().submit(call);            // so does this one
   * }</pre>
   */
  ExecutorService asExecutorService();

  /**
   * Where the pool's time went, as an immutable snapshot: per worker, its start-up, tasks done,
   * busy, waiting and idle time, memory where known and restarts; and the slowest tasks. Its {@code
   * toString()} is a readable table. Collecting it costs the pool next to nothing.
   */
  PoolInsights insights();
}
