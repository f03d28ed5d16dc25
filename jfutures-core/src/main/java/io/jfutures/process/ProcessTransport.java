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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

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

  /** How often a worker's memory is read while it runs a task, under a memory limit. */
  private static final long MEMORY_SAMPLE_MILLIS = 100;

  /**
   * How a pool's workers are made and what they may do.
   *
   * @param maxWorkerMemory the resident memory in bytes above which a worker is replaced; 0 for no
   *     limit
   */
  public record Settings(
      String poolName,
      int maxWorkers,
      int maxTasksPerWorker,
      Duration taskTimeout,
      int retries,
      List<String> jvmOptions,
      Action initializer,
      long maxWorkerMemory) {}

  final List<String> jvmOptions;
  final long memoryLimit;
  final byte[] initFrame;
  final TaskLoaders loaders = new TaskLoaders();
  final Dispatcher<Worker> dispatcher;
  private final String poolName;
  private final Set<Worker> watched = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Thread> sampler = new AtomicReference<>();
  private volatile boolean closed;

  private ProcessTransport(Settings settings) {
    this.poolName = settings.poolName();
    this.jvmOptions = settings.jvmOptions();
    this.memoryLimit = settings.maxWorkerMemory();
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
                CHUNK_TARGET_NANOS,
                0),
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

  /** Whether a worker's resident memory can be read here, for a memory limit. */
  public static boolean canReadResidentMemory() {
    return ResidentMemory.supported();
  }

  @Override
  public void open(Seat<Worker> seat) {
    new Worker(seat, this).start();
  }

  @Override
  public void send(Seat<Worker> seat, List<Dispatch> batch, int bundle) {
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
  public long residentMemory(Seat<Worker> seat) {
    return seat.link().measure();
  }

  @Override
  public void retire(Seat<Worker> seat) {
    seat.link().retire();
  }

  /**
   * Stops the memory sampler; nothing else to release: each worker reported its own end, and took
   * its pipes with it.
   */
  @Override
  public void close() {
    closed = true;
    Thread thread = sampler.get();
    if (thread != null) {
      thread.interrupt();
    }
  }

  /**
   * Reads the memory of {@code worker} while it runs a task, from now until it is {@linkplain
   * #unwatch unwatched}. The sampler thread starts with the first worker.
   */
  void watch(Worker worker) {
    watched.add(worker);
    if (sampler.get() == null) {
      Thread thread =
          Thread.ofPlatform().daemon(true).name(poolName + "-memory").unstarted(this::sampleMemory);
      if (sampler.compareAndSet(null, thread)) {
        thread.start();
      }
    }
  }

  void unwatch(Worker worker) {
    watched.remove(worker);
  }

  /** Every {@value #MEMORY_SAMPLE_MILLIS} ms, kills a busy worker far over the limit. */
  private void sampleMemory() {
    long threshold = memoryLimit + memoryLimit / 2;
    while (!closed) {
      try {
        Thread.sleep(MEMORY_SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      for (Worker worker : watched) {
        worker.checkMemoryWhileRunning(threshold);
      }
    }
  }
}
