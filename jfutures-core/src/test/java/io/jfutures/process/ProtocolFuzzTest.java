package io.jfutures.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jfutures.Fn;
import io.jfutures.Task;
import io.jfutures.base.Chunk;
import io.jfutures.base.ChunkResult;
import io.jfutures.codec.Codec;
import io.jfutures.testing.Mutator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pool's channel decoders ({@link Wire} frames, {@link Codec} values) fed corrupt, truncated
 * and oversized input: they return a value or throw {@link IOException} (or {@link
 * ClassNotFoundException}), never anything else, and never allocate what a length field claims
 * beyond what the bytes could hold. The pool ends a worker on either exception.
 */
class ProtocolFuzzTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static byte[] frame(byte kind, Object value) throws IOException {
    byte[] payload = Codec.encode(value);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Wire.write(new DataOutputStream(bytes), kind, 42, payload, payload.length);
    return bytes.toByteArray();
  }

  static List<byte[]> seeds() throws IOException {
    Fn<Integer, Integer> square = x -> x * x;
    Task<String> task = () -> "a task";
    Map<String, Integer> map = new TreeMap<>(Map.of("a", 1, "b", 2));
    List<byte[]> seeds = new ArrayList<>();
    for (Object value :
        List.of(
            17,
            1L << 40,
            2.5,
            "a string",
            true,
            new byte[] {1, 2, 3},
            new int[] {1, 2, 3},
            new long[] {4, 5},
            new double[] {6.5},
            new Object[] {1, 2, 3},
            new Object[] {"x", "y"},
            new Object[] {1, "mixed", 2L},
            new Chunk<>(square, new Object[] {1, 2, 3}),
            new ChunkResult(new Object[] {1L, 4L}, 2, new IllegalStateException("boom"), 7L),
            new IllegalArgumentException("a failure"),
            task,
            map,
            new ArrayList<>(List.of(1, 2, 3)))) {
      seeds.add(frame(Wire.RESULT, value));
    }
    return seeds;
  }

  /** One input through the decoders as the pool reads a worker's answers. */
  static void decode(byte[] input) throws Exception {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(input));
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      Wire.Frame frame = Wire.read(in, new byte[64]);
      Codec.decode(frame.payload(), 0, frame.length());
    } catch (IOException | ClassNotFoundException expected) {
      // what the pool turns into the end of that worker
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated)
        .as("bytes allocated for %d bytes of input", input.length)
        .isLessThan(64L * input.length + (8 << 20));
  }

  void fuzz(long seed, Duration budget) throws IOException {
    List<byte[]> seeds = seeds();
    int rounds =
        assertTimeoutPreemptively(
            budget.plusMinutes(2),
            () -> Mutator.fuzz(seed, seeds, budget, ProtocolFuzzTest::decode));
    assertThat(rounds).isPositive();
    System.out.println("fuzzed " + "frames" + ": " + rounds + " inputs, seed " + seed);
  }

  @Test
  void corruptFramesAndValuesFailWithIoExceptionsOnly() throws IOException {
    fuzz(20261202L, Duration.ofSeconds(8));
  }

  @Test
  @Tag("soak")
  void corruptFramesAndValuesFailWithIoExceptionsOnlyForMinutes() throws IOException {
    fuzz(System.nanoTime(), Duration.ofMinutes(2));
  }

  @Test
  void aFrameClaimingTwoGigabytesCostsOnlyWhatArrives() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Wire.write(new DataOutputStream(bytes), Wire.RESULT, 1, new byte[10], 10);
    byte[] lying = bytes.toByteArray();
    lying[11] = 0x7F;
    lying[12] = (byte) 0xFF;
    lying[13] = (byte) 0xFF;
    lying[14] = (byte) 0xFF;

    long before = THREADS.getCurrentThreadAllocatedBytes();
    assertThatThrownBy(() -> Wire.read(new DataInputStream(new ByteArrayInputStream(lying))))
        .isInstanceOf(EOFException.class);
    assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).isLessThan(8 << 20);
  }

  @Test
  void valuesClaimingMoreElementsThanTheirBytesAreRefusedBeforeAllocating() throws Exception {
    for (Object value :
        List.of(new Object[] {"x", "y"}, new Object[] {1, "mixed"}, (Task<Integer>) () -> 1)) {
      byte[] encoded = Codec.encode(value);
      for (int at = 0; at + 4 <= encoded.length; at++) {
        byte[] lying = encoded.clone();
        lying[at] = 0x7F;
        lying[at + 1] = (byte) 0xFF;
        lying[at + 2] = (byte) 0xFF;
        lying[at + 3] = (byte) 0xF0;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
          Codec.decode(lying);
        } catch (IOException | ClassNotFoundException expected) {
          // refused
        }
        assertThat(THREADS.getCurrentThreadAllocatedBytes() - before)
            .as("a length claimed at byte %d of a %s", at, value.getClass().getSimpleName())
            .isLessThan(8 << 20);
      }
    }
  }
}
