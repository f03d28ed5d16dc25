package io.jfutures;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Pool#map} runs: an immutable value, each setter returning a modified copy.
 *
 * <pre>{@code
 * MapOptions.defaults().chunkSize(100).bufferSize(8).timeout(Duration.ofMinutes(1)).unordered()
 * }</pre>
 */
public final class MapOptions {
  private static final MapOptions DEFAULTS = new MapOptions(0, 0, null, true, null);

  private final int chunkSize;
  private final int bufferSize;
  private final Duration timeout;
  private final boolean ordered;
  private final ProgressListener onProgress;

  private MapOptions(
      int chunkSize,
      int bufferSize,
      Duration timeout,
      boolean ordered,
      ProgressListener onProgress) {
    this.chunkSize = chunkSize;
    this.bufferSize = bufferSize;
    this.timeout = timeout;
    this.ordered = ordered;
    this.onProgress = onProgress;
  }

  /** Automatic chunking, the pool's default buffer, no timeout, ordered, no progress listener. */
  public static MapOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Inputs per task; 0 (the default) lets the pool size chunks from the measured cost of the
   * function.
   *
   * @throws IllegalArgumentException if {@code chunkSize < 0}
   */
  public MapOptions chunkSize(int chunkSize) {
    if (chunkSize < 0) {
      throw new IllegalArgumentException(
          "chunkSize must be >= 0 (0 = automatic), was " + chunkSize);
    }
    return new MapOptions(chunkSize, bufferSize, timeout, ordered, onProgress);
  }

  /**
   * The most chunks submitted and not yet consumed at any time, which bounds memory. By default
   * twice the pool's workers (at most 1024).
   *
   * @throws IllegalArgumentException if {@code bufferSize < 1}
   */
  public MapOptions bufferSize(int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, was " + bufferSize);
    }
    return new MapOptions(chunkSize, bufferSize, timeout, ordered, onProgress);
  }

  /**
   * The time the whole map may take, counted from the call to {@code map}. When it runs out, the
   * stream throws {@link WaitTimeoutException} and cancels what is pending. {@code null}: no limit.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public MapOptions timeout(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    return new MapOptions(chunkSize, bufferSize, timeout, ordered, onProgress);
  }

  /** Results in the order they complete rather than in input order. */
  public MapOptions unordered() {
    return new MapOptions(chunkSize, bufferSize, timeout, false, onProgress);
  }

  /** Calls {@code listener} as results land; see {@link ProgressListener}. */
  public MapOptions onProgress(ProgressListener listener) {
    return new MapOptions(
        chunkSize, bufferSize, timeout, ordered, Objects.requireNonNull(listener, "listener"));
  }

  /** Inputs per chunk, 0 for automatic. */
  public int chunkSize() {
    return chunkSize;
  }

  /** Chunks in flight at most, 0 for the pool's default. */
  public int bufferSize() {
    return bufferSize;
  }

  /** The time limit, or null for none. */
  public Duration timeout() {
    return timeout;
  }

  /** Whether results come in input order. */
  public boolean isOrdered() {
    return ordered;
  }

  /** The progress listener, or null. */
  public ProgressListener progressListener() {
    return onProgress;
  }

  @Override
  public String toString() {
    return "MapOptions[chunkSize="
        + (chunkSize == 0 ? "auto" : chunkSize)
        + ", bufferSize="
        + (bufferSize == 0 ? "default" : bufferSize)
        + ", timeout="
        + timeout
        + ", ordered="
        + ordered
        + "]";
  }
}
