package io.jfutures.base;

import java.util.List;
import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * Where a map reads its inputs, a chunk at a time, on the consuming thread: a random-access list by
 * index, or any other source through its spliterator.
 */
sealed interface MapInputs {
  /** Fills {@code chunk} from the inputs as far as they go; returns how many it took. */
  int pull(Object[] chunk);

  /** How many inputs there are in all, or -1 if unknown. */
  long size();

  /** A random-access list, read by index. */
  final class Indexed implements MapInputs {
    private final List<?> list;
    private int next;

    Indexed(List<?> list) {
      this.list = list;
    }

    @Override
    public int pull(Object[] chunk) {
      int count = Math.min(chunk.length, list.size() - next);
      for (int i = 0; i < count; i++) {
        chunk[i] = list.get(next + i);
      }
      next += count;
      return count;
    }

    @Override
    public long size() {
      return list.size();
    }
  }

  /** Anything else, through its spliterator. */
  final class Split implements MapInputs, Consumer<Object> {
    private final Spliterator<?> inputs;
    private Object pulled;

    Split(Spliterator<?> inputs) {
      this.inputs = inputs;
    }

    @Override
    public int pull(Object[] chunk) {
      int count = 0;
      while (count < chunk.length && inputs.tryAdvance(this)) {
        chunk[count++] = pulled;
      }
      pulled = null;
      return count;
    }

    @Override
    public long size() {
      return inputs.getExactSizeIfKnown();
    }

    @Override
    public void accept(Object value) {
      pulled = value;
    }
  }
}
