package io.jfutures.process;

import io.jfutures.Action;
import io.jfutures.base.Backend;
import io.jfutures.codec.Codec;
import io.jfutures.remote.Dispatch;
import io.jfutures.remote.Dispatcher;
import io.jfutures.remote.Seat;
import io.jfutures.remote.TaskLoaders;
import io.jfutures.remote.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs a pool's tasks in worker JVMs: the {@link Transport} of a {@link Dispatcher}, which decides
 * what runs where. Each seat is one {@link Worker} process, started on demand; a task is cancelled
 * on a worker by asking it to skip the task, or, once the task runs, by killing the worker. A
 * worker that lacks a class of a task asks for it, and {@link TaskLoaders} serves it from the
 * loader that defined the task.
 */
public final class ProcessTransport implements Transport<Worker> {
  /**
   * A chunk of a map crosses two pipes and two codecs: 5 ms keeps that under a few percent of its
   * time.
   */
  private static final long CHUNK_TARGET_NANOS = 5_000_000;

  /** How a pool's workers are made and what they may do. */
  public record Settings(
      String poolName,
      int maxWorkers,
      int maxTasksPerWorker,
      Duration taskTimeout,
      int retries,
      List<String> jvmOptions,
      Action initializer) {}

  final List<String> jvmOptions;
  final byte[] initFrame;
  final TaskLoaders loaders = new TaskLoaders();
  final Dispatcher<Worker> dispatcher;

  private ProcessTransport(Settings settings) {
    this.jvmOptions = settings.jvmOptions();
    try {
      this.initFrame = Codec.encode(settings.initializer());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the initializer cannot be sent to a worker: " + e.getMessage(), e);
    }
    this.dispatcher =
        new Dispatcher<>(
            new Dispatcher.Settings(
                settings.poolName(),
                settings.maxWorkers(),
                settings.maxTasksPerWorker(),
                settings.taskTimeout(),
                settings.retries(),
                false,
                CHUNK_TARGET_NANOS),
            this);
  }

  /**
   * The back end of a process pool.
   *
   * @throws IllegalArgumentException if the initializer cannot be serialized
   */
  public static Backend backend(Settings settings) {
    return new ProcessTransport(settings).dispatcher;
  }

  @Override
  public void open(Seat<Worker> seat) {
    new Worker(seat, this).start();
  }

  @Override
  public void send(Seat<Worker> seat, List<Dispatch> batch) {
    seat.link().send(batch);
  }

  @Override
  public void cancel(Seat<Worker> seat, Dispatch dispatch) {
    seat.link().skip(dispatch);
  }

  @Override
  public void kill(Seat<Worker> seat) {
    seat.link().kill();
  }

  @Override
  public void retire(Seat<Worker> seat) {
    seat.link().retire();
  }

  /** Nothing to release: each worker reported its own end, and took its pipes with it. */
  @Override
  public void close() {}
}
