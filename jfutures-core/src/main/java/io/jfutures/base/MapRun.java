package io.jfutures.base;

import io.jfutures.BrokenPoolException;
import io.jfutures.Fn;
import io.jfutures.MapOptions;
import io.jfutures.ProgressListener;
import io.jfutures.TaskFailedException;
import io.jfutures.WaitTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One call of {@link io.jfutures.Pool#map}: the source of the stream it returns.
 *
 * <p>Everything happens on the thread that consumes the stream, when it asks for the next result:
 * it pulls inputs into chunks and submits them until {@code bufferSize} chunks are outstanding,
 * then waits for the next chunk to hand out, the oldest one when ordered, any finished one when
 * not. Chunks outstanding never exceed {@code bufferSize}, and a chunk stays outstanding until its
 * last result has been handed out, so memory is bounded whatever the input. The only other threads
 * involved are the pool's, which report finished chunks (unordered) and progress.
 *
 * <p>When the stream reaches a failed input, runs out of time, is interrupted or closed, every
 * outstanding chunk is cancelled ({@code cancel(false)}: chunks that have started finish, and their
 * results are dropped) and no more inputs are pulled. Not thread-safe, like any stream.
 */
final class MapRun<A, R> implements Spliterator<R> {
  private static final System.Logger LOG = System.getLogger("io.jfutures");

  /** A submitted chunk and the index of its first input. */
  private final class InFlight implements BiConsumer<ChunkResult, Throwable> {
    final Execution<ChunkResult> execution;
    final long start;

    InFlight(Execution<ChunkResult> execution, long start) {
      this.execution = execution;
      this.start = start;
    }

    /**
     * Whether this chunk's progress has been reported, by the pool's thread or the consumer; read
     * and set under {@code progressLock}.
     */
    private boolean reported;

    /** Runs on the pool thread that finished the chunk. */
    @Override
    public void accept(ChunkResult result, Throwable failure) {
      order.landed(this);
      reportOnce(result);
    }

    /**
     * Reports the chunk's progress unless that was done already. The consumer calls this too before
     * it hands out the chunk's values, since it may be woken before the pool's thread gets here,
     * and a listener must see all of a map's progress before its stream ends. The check and the
     * report are one step under {@code progressLock}, so a consumer that finds the chunk reported
     * also finds the listener returned.
     */
    void reportOnce(ChunkResult result) {
      if (listener == null || result == null) {
        return;
      }
      progressLock.lock();
      try {
        if (!reported) {
          reported = true;
          reportProgress(result.succeeded() + (result.failure() == null ? 0 : 1));
        }
      } finally {
        progressLock.unlock();
      }
    }
  }

  private final PoolCore pool;
  private final Fn<? super A, ? extends R> fn;
  private final Supplier<MapInputs> source;
  private final Runnable closeInputs;
  private final int bufferSize;
  private final ChunkSizer sizer;
  private final Duration timeout;
  private final long deadline;
  private final ProgressListener listener;
  private final ReentrantLock progressLock = new ReentrantLock();
  private long progress;

  private final MapOrder<InFlight> order;
  private MapInputs inputs;

  /**
   * Whether the input's size was known when map was called. The stream is then SIZED, which lets
   * toList() and toArray() fill one exact array; AutoClosingStream keeps count() from trusting the
   * size instead of running the tasks.
   */
  private final boolean sized;

  private volatile long total;
  private long handedOut;
  private long pulled;
  private boolean exhausted;
  private boolean finished;

  private Object[] values;
  private int next;
  private int end;
  private Throwable failure;
  private long failureIndex;

  private MapRun(
      PoolCore pool,
      Fn<? super A, ? extends R> fn,
      Supplier<MapInputs> source,
      long knownSize,
      Runnable closeInputs,
      MapOptions options) {
    this.pool = pool;
    this.fn = fn;
    this.source = source;
    this.sized = knownSize >= 0;
    this.total = knownSize;
    this.closeInputs = closeInputs;
    Backend backend = pool.backend();
    this.bufferSize = options.bufferSize() > 0 ? options.bufferSize() : backend.defaultBufferSize();
    this.sizer = new ChunkSizer(options.chunkSize(), backend.chunkTargetNanos());
    this.timeout = options.timeout();
    this.deadline = timeout == null ? 0 : System.nanoTime() + saturatedNanos(timeout);
    this.listener = options.progressListener();
    this.order = MapOrder.of(options.isOrdered());
  }

  /** A map over any iterable, read through its spliterator. */
  static <A, R> Stream<R> stream(
      PoolCore pool,
      Fn<? super A, ? extends R> fn,
      Iterable<? extends A> inputs,
      MapOptions options) {
    if (inputs instanceof List<? extends A> list && inputs instanceof RandomAccess) {
      return stream(
          new MapRun<>(pool, fn, () -> new MapInputs.Indexed(list), list.size(), null, options));
    }
    long size = inputs instanceof Collection<?> c ? c.size() : -1;
    return stream(
        new MapRun<>(
            pool, fn, () -> new MapInputs.Split(inputs.spliterator()), size, null, options));
  }

  /** A map over a stream, which closing the map's stream closes. */
  static <A, R> Stream<R> stream(
      PoolCore pool,
      Fn<? super A, ? extends R> fn,
      Stream<? extends A> inputs,
      MapOptions options) {
    return stream(
        new MapRun<>(
            pool, fn, () -> new MapInputs.Split(inputs.spliterator()), -1, inputs::close, options));
  }

  private static <A, R> Stream<R> stream(MapRun<A, R> run) {
    return new AutoClosingStream<>(StreamSupport.stream(run, false).onClose(run::close));
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean tryAdvance(Consumer<? super R> action) {
    while (true) {
      if (next < end) {
        Object value = values[next];
        values[next++] = null;
        handedOut++;
        action.accept((R) value);
        return true;
      }
      if (failure != null) {
        Throwable cause = failure;
        failure = null;
        throw abort(
            new TaskFailedException("map input #" + failureIndex + " failed: " + cause, cause));
      }
      values = null;
      if (finished) {
        return false;
      }
      InFlight chunk = nextChunk();
      if (chunk == null) {
        finished = true;
        return false;
      }
      ChunkResult result = resultOf(chunk.execution);
      chunk.reportOnce(result);
      sizer.observe(result);
      values = result.values();
      next = 0;
      end = result.succeeded();
      if (result.failure() != null) {
        failure = result.failure();
        failureIndex = chunk.start + result.succeeded();
      }
    }
  }

  /**
   * Hands out whole chunks at a time: the same as looping tryAdvance, without its per-call work.
   */
  @Override
  @SuppressWarnings("unchecked")
  public void forEachRemaining(Consumer<? super R> action) {
    do {
      Object[] chunk = values;
      int stop = end;
      for (int i = next; i < stop; i++) {
        Object value = chunk[i];
        chunk[i] = null;
        next = i + 1;
        handedOut++;
        action.accept((R) value);
      }
    } while (tryAdvance(action));
  }

  /** Tops up the chunks in flight, then takes the next one to hand out; null when all are out. */
  private InFlight nextChunk() {
    try {
      fill();
    } catch (RuntimeException | Error e) {
      throw abort(e);
    }
    try {
      return order.next(timeout != null, deadline);
    } catch (TimeoutException e) {
      throw abort(timedOut());
    } catch (InterruptedException e) {
      throw abort(interrupted(e));
    }
  }

  private void fill() {
    while (!exhausted && order.size() < bufferSize) {
      if (inputs == null) {
        inputs = source.get();
        if (!sized) {
          total = inputs.size();
        }
      }
      int size = sizer.next();
      long known = total;
      if (known >= 0) {
        size = (int) Math.max(1, Math.min(size, known - pulled));
      }
      Object[] chunk = new Object[size];
      int count = inputs.pull(chunk);
      if (count < size) {
        exhausted = true;
        if (count == 0) {
          return;
        }
        chunk = Arrays.copyOf(chunk, count);
      }
      Execution<ChunkResult> execution = pool.enqueue(new Chunk<>(fn, chunk), count);
      InFlight inFlight = new InFlight(execution, pulled);
      pulled += count;
      order.add(inFlight);
      if (order.needsLandings() || listener != null) {
        execution.whenComplete(inFlight);
      }
    }
  }

  private ChunkResult resultOf(Execution<ChunkResult> execution) {
    try {
      if (timeout == null) {
        return execution.get();
      }
      return execution.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw abort(timedOut());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TaskFailedException || cause instanceof BrokenPoolException) {
        throw abort((RuntimeException) cause);
      }
      throw abort(new TaskFailedException("a map chunk failed: " + cause, cause));
    } catch (CancellationException e) {
      throw abort(new CancellationException("the map was cancelled: one of its chunks was"));
    } catch (InterruptedException e) {
      throw abort(interrupted(e));
    }
  }

  private WaitTimeoutException timedOut() {
    return new WaitTimeoutException(
        "map did not finish within " + timeout + " (" + pulled + " inputs pulled so far)");
  }

  private static CancellationException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    CancellationException cancelled =
        new CancellationException("interrupted while waiting for map results");
    cancelled.initCause(e);
    return cancelled;
  }

  private RuntimeException abort(Throwable reason) {
    cancelOutstanding();
    if (reason instanceof Error error) {
      throw error;
    }
    return (RuntimeException) reason;
  }

  private void cancelOutstanding() {
    finished = true;
    exhausted = true;
    values = null;
    end = 0;
    for (InFlight chunk : order.drain()) {
      chunk.execution.cancel(false);
    }
  }

  private void close() {
    try {
      cancelOutstanding();
    } finally {
      if (closeInputs != null) {
        closeInputs.run();
      }
    }
  }

  /** Adds {@code count} to the progress and tells the listener; under {@code progressLock}. */
  private void reportProgress(long count) {
    progress += count;
    try {
      listener.onProgress(progress, total);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "a map progress listener threw; ignoring it", e);
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 2;
    }
  }

  @Override
  public Spliterator<R> trySplit() {
    return null;
  }

  @Override
  public long estimateSize() {
    long known = total;
    return known >= 0 ? Math.max(0, known - handedOut) : Long.MAX_VALUE;
  }

  @Override
  public int characteristics() {
    return (order instanceof MapOrder.Ordered ? ORDERED : 0) | (sized ? SIZED : 0);
  }
}
