package io.jfutures.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How automatic chunk sizing answers measured costs: fed the costs, never timed. */
class ChunkSizerTest {
  private static final long TARGET = 5_000_000;

  /** A chunk of {@code inputs} inputs that took {@code nanos} on its worker. */
  private static ChunkResult took(int inputs, long nanos) {
    return new ChunkResult(new Object[inputs], inputs, null, nanos);
  }

  /** The sizes of the next {@code count} chunks, each costing {@code nanosPerInput} an input. */
  private static List<Integer> sizes(ChunkSizer sizer, int count, long nanosPerInput) {
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int size = sizer.next();
      sizes.add(size);
      sizer.observe(took(size, size * nanosPerInput));
    }
    return sizes;
  }

  @Test
  void tinyInputsGrowChunksFourfoldUpToTheCap() {
    List<Integer> sizes = sizes(new ChunkSizer(0, TARGET), 12, 1);
    assertThat(sizes.subList(0, 5)).containsExactly(1, 4, 16, 64, 256);
    assertThat(sizes.getLast()).isEqualTo(ChunkSizer.MAX_CHUNK);
  }

  @Test
  void inputsThatTakeTheTargetEachStayOneAChunk() {
    assertThat(sizes(new ChunkSizer(0, TARGET), 10, TARGET)).containsOnly(1);
  }

  @Test
  void chunksAimAtTheTargetForTheMeasuredCost() {
    List<Integer> sizes = sizes(new ChunkSizer(0, TARGET), 20, 50_000);
    assertThat(sizes.getLast()).isEqualTo(100);
  }

  @Test
  void aCostThatRisesShrinksTheChunks() {
    ChunkSizer sizer = new ChunkSizer(0, TARGET);
    sizes(sizer, 12, 1);
    List<Integer> after = sizes(sizer, 20, 1_000_000);
    assertThat(after.getLast()).isEqualTo(5);
  }

  @Test
  void chunksHoldTheWholeNumberOfInputsNearestTheTarget() {
    assertThat(sizes(new ChunkSizer(0, TARGET), 10, TARGET * 6 / 10).getLast()).isEqualTo(2);
    assertThat(sizes(new ChunkSizer(0, TARGET), 10, TARGET * 7 / 10).getLast()).isEqualTo(1);
  }

  @Test
  void aFixedSizeIsUsedAsGivenWhateverTheCost() {
    assertThat(sizes(new ChunkSizer(7, TARGET), 5, 1)).containsOnly(7);
    assertThat(sizes(new ChunkSizer(7, TARGET), 5, TARGET)).containsOnly(7);
  }

  @Test
  void aChunkThatFailedCountsTheFailedInputToo() {
    ChunkSizer sizer = new ChunkSizer(0, TARGET);
    sizer.next();
    sizer.observe(new ChunkResult(new Object[1], 0, new IllegalStateException(), TARGET));
    assertThat(sizer.next()).isEqualTo(1);
  }
}
