package io.jfutures.base;

import io.jfutures.Fn;
import io.jfutures.Task;

/**
 * A slice of a map's inputs run as one task. An input that throws ends the chunk: the inputs after
 * it do not run. The function's results overwrite the inputs in place, so a chunk allocates no
 * second array; a chunk is therefore run once only.
 *
 * @param fn the function to apply
 * @param inputs the inputs, replaced by the results as the chunk runs
 */
public record Chunk<A, R>(Fn<? super A, ? extends R> fn, Object[] inputs)
    implements Task<ChunkResult> {
  private static final long serialVersionUID = 1L;

  @Override
  @SuppressWarnings("unchecked")
  public ChunkResult call() {
    long start = System.nanoTime();
    int i = 0;
    Throwable failure = null;
    try {
      for (; i < inputs.length; i++) {
        inputs[i] = fn.apply((A) inputs[i]);
      }
    } catch (Throwable t) {
      failure = t;
    }
    return new ChunkResult(inputs, i, failure, System.nanoTime() - start);
  }
}
