package io.jfutures;

import io.jfutures.base.PoolCore;
import java.util.stream.Stream;

/**
 * The body of every public pool class: each {@link Pool} method goes to the shared {@link
 * PoolCore}.
 */
abstract class PoolFacade implements Pool {
  private final PoolCore core;

  PoolFacade(PoolCore core) {
    this.core = core;
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
  public String toString() {
    return core.toString();
  }
}
