package io.jfutures.base;

/**
 * Picks the size of each map chunk. A fixed size is used as given. Automatic sizing starts at one
 * input, learns the function's cost per input from the chunks that come back (a moving average, so
 * it follows a cost that drifts), and aims each chunk at the back end's target duration: the whole
 * number of inputs nearest it, so that inputs costing just over half the target go two to a chunk
 * rather than one (a cluster's client then sends half the dispatches). It grows at most fourfold
 * per chunk, so a few cheap first inputs cannot launch a huge chunk of expensive ones, and never
 * past {@link #MAX_CHUNK}. Used by one thread at a time.
 */
final class ChunkSizer {
  static final int MAX_CHUNK = 1 << 17;

  private final int fixed;
  private final long targetNanos;
  private double nanosPerInput = -1;
  private int last = 1;

  ChunkSizer(int fixed, long targetNanos) {
    this.fixed = fixed;
    this.targetNanos = targetNanos;
  }

  int next() {
    if (fixed > 0) {
      return fixed;
    }
    if (nanosPerInput < 0) {
      return 1;
    }
    long ideal = Math.round(targetNanos / Math.max(nanosPerInput, 0.01));
    int size = (int) Math.max(1, Math.min(ideal, Math.min(MAX_CHUNK, 4L * last)));
    last = size;
    return size;
  }

  void observe(ChunkResult result) {
    int inputs = result.succeeded() + (result.failure() == null ? 0 : 1);
    if (fixed > 0 || inputs == 0) {
      return;
    }
    double cost = (double) result.nanos() / inputs;
    nanosPerInput = nanosPerInput < 0 ? cost : 0.7 * nanosPerInput + 0.3 * cost;
  }
}
