package io.jfutures.remote;

import io.jfutures.base.Execution;
import io.jfutures.codec.Codec;
import io.jfutures.jfr.TaskRan;
import java.io.IOException;

/**
 * One handing of a job to a seat: what a {@link Transport} sends, and what it reports back. A job
 * that runs again (a retry, or a requeue after its worker died) is a new dispatch; the dispatcher
 * ignores answers to dispatches it has given up on.
 */
public final class Dispatch {
  final Job job;

  /** Its flight-recorder event, begun as the worker began it; null unless one is recorded. */
  volatile TaskRan event;

  /** Set, under the dispatcher's lock, once its task was cancelled and its place freed. */
  volatile boolean withdrawn;

  Dispatch(Job job) {
    this.job = job;
  }

  /** The task, encoded. */
  public byte[] payload() {
    return job.payload;
  }

  /**
   * The class loader that defined the task, or a map chunk's function: where a worker that lacks
   * one of its classes can have it. Null for the bootstrap loader.
   */
  public ClassLoader loader() {
    return job.loader;
  }

  /**
   * Whether the dispatcher gave it up as its task was cancelled: a transport no longer sends it,
   * and tells {@link Dispatcher#begunBeforeSkip} if its worker turns out to have begun it.
   */
  public boolean withdrawn() {
    return withdrawn;
  }

  /** The worker began it now. */
  public void markStarted(long nanoTime) {
    job.startedAt = nanoTime == 0 ? 1 : nanoTime;
    TaskRan ran = new TaskRan();
    if (ran.isEnabled()) {
      ran.begin();
      event = ran;
    }
  }

  /** When the worker began it, as {@link System#nanoTime}; 0 if it has not. */
  public long startedAt() {
    return job.startedAt;
  }

  /**
   * Completes the task's future with what the worker answered: the encoded value, or the encoded
   * exception if {@code failure}, its classes resolved through the loader that defined the task. An
   * answer that cannot be decoded fails the task with the reason.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void settle(boolean failure, byte[] bytes, int offset, int length) {
    Execution execution = job.execution;
    Object value;
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    if (job.loader != null) {
      thread.setContextClassLoader(job.loader);
    }
    try {
      value = Codec.decode(bytes, offset, length);
    } catch (ClassNotFoundException | IOException unreadable) {
      execution.completeExceptionally(unreadable);
      return;
    } finally {
      thread.setContextClassLoader(previous);
    }
    if (failure) {
      execution.completeExceptionally((Throwable) value);
    } else {
      execution.complete(value);
    }
  }

  /** Fails the task with {@code failure}. */
  public void fail(Throwable failure) {
    job.execution.completeExceptionally(failure);
  }

  @Override
  public String toString() {
    return "dispatch of " + job.execution;
  }
}
