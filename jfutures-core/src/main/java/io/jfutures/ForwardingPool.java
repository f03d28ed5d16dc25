package io.jfutures;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * A pool that hands every call to another: the body of the pool classes, which are each a face on
 * the one shared implementation, and a base for a pool that adds to another (logging, metrics),
 * overriding what it adds to. Like Guava's {@code ForwardingExecutorService}.
 */
public abstract class ForwardingPool implements Pool {
  private final Pool core;

  /** A pool that forwards to {@code delegate}. */
  protected ForwardingPool(Pool delegate) {
    this.core = Objects.requireNonNull(delegate, "delegate");
  }

  /** Checks a builder's count option; the message names the option, as the contract asks. */
  static int atLeast(int minimum, String option, int value) {
    if (value < minimum) {
      throw new IllegalArgumentException(option + " must be >= " + minimum + ", was " + value);
    }
    return value;
  }

  @Override
  public <T> TaskFuture<T> submit(Task<T> task) {
    return core.submit(task);
  }

  @Override
  public ExecutorService asExecutorService() {
    return core.asExecutorService();
  }

  @Override
  public <A, R> Stream<R> map(Fn<? super A, ? extends R> fn, Iterable<? extends A> inputs) {
    return core.map(fn, inputs);
  }

  @Override
  public <A, R> Stream<R> map(
      Fn<? super A, ? extends R> fn, Iterable<? extends A> inputs, MapOptions options) {
    return core.map(fn, inputs, options);
  }

  @Override
  public <A, R> Stream<R> map(
      Fn<? super A, ? extends R> fn, Stream<? extends A> inputs, MapOptions options) {
    return core.map(fn, inputs, options);
  }

  @Override
  public void shutdown(boolean wait, boolean cancelPending) {
    core.shutdown(wait, cancelPending);
  }

  @Override
  public void close() {
    core.close();
  }

  @Override
  public boolean isShutdown() {
    return core.isShutdown();
  }

  @Override
  public int maxWorkers() {
    return core.maxWorkers();
  }

  @Override
  public PoolStats stats() {
    return core.stats();
  }

  @Override
  public PoolInsights insights() {
    return core.insights();
  }

  @Override
  public String toString() {
    return core.toString();
  }
}
