package io.jfutures.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded mutation fuzzer: it turns valid inputs into corrupt ones the way hostile files and
 * broken channels are corrupt (flipped bits, lengths and sizes set to extremes, truncation, cut and
 * repeated slices), favouring the first bytes, where headers and length fields live. The same seed
 * gives the same inputs, so a failure names what reproduces it.
 *
 * <p>Its time budget comes from the system property {@value #SECONDS_PROPERTY}, for longer runs
 * behind the soak profile, else from the test.
 */
public final class Mutator {
  public static final String SECONDS_PROPERTY = "jfutures.fuzz.seconds";

  private static final int[] INTERESTING_INTS = {
    0, 1, -1, 255, 256, 65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFFFFF0, 46000
  };
  private static final byte[] INTERESTING_BYTES = {
    0, 1, 0x7F, (byte) 0x80, (byte) 0xFF, (byte) 0xFE
  };

  private final Random random;

  public Mutator(long seed) {
    this.random = new Random(seed);
  }

  /** What a fuzz target does with one input; anything it throws is a finding. */
  @FunctionalInterface
  public interface Target {
    void accept(byte[] input) throws Exception;
  }

  /** A finding: the target threw, on the input that made it throw. */
  public static final class Finding extends AssertionError {
    private static final long serialVersionUID = 1L;

    Finding(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Feeds {@code target} mutations of {@code seeds} until {@code budget} (or the property's) has
   * passed, and returns how many it fed.
   *
   * @throws Finding naming the seed, the round and the input's first bytes when the target throws
   */
  public static int fuzz(long seed, List<byte[]> seeds, Duration budget, Target target) {
    String property = System.getProperty(SECONDS_PROPERTY);
    Duration time =
        property == null || property.isBlank()
            ? budget
            : Duration.ofSeconds(Long.parseLong(property));
    Mutator mutator = new Mutator(seed);
    long end = System.nanoTime() + time.toNanos();
    int round = 0;
    while (round == 0 || System.nanoTime() < end) {
      byte[] input = mutator.mutate(seeds.get(round % seeds.size()));
      try {
        target.accept(input);
      } catch (Throwable e) {
        throw new Finding(
            "round "
                + round
                + " of seed "
                + seed
                + " ("
                + input.length
                + " bytes, starting "
                + hex(input)
                + "): "
                + e,
            e);
      }
      round++;
    }
    return round;
  }

  private static String hex(byte[] input) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(input.length, 32); i++) {
      text.append(String.format("%02x", input[i] & 0xff));
    }
    return text.toString();
  }

  /** A corrupt copy of {@code input}: one to eight edits. */
  public byte[] mutate(byte[] input) {
    byte[] b = input.clone();
    int edits = 1 + random.nextInt(8);
    for (int e = 0; e < edits; e++) {
      int at = position(b.length);
      switch (random.nextInt(7)) {
        case 0 -> {
          if (b.length > 0) {
            b[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          if (b.length > 0) {
            b[at] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
          }
        }
        case 2 -> {
          int value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
          int width = random.nextBoolean() ? 2 : 4;
          for (int i = 0; i < width && at + i < b.length; i++) {
            b[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
          }
        }
        case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
        case 4 -> {
          int from = position(b.length);
          int length = Math.min(random.nextInt(4096), b.length - from);
          b = splice(b, at, Arrays.copyOfRange(b, from, from + length));
        }
        case 5 -> {
          int length = Math.min(random.nextInt(256), b.length - at);
          byte[] cut = new byte[b.length - length];
          System.arraycopy(b, 0, cut, 0, at);
          System.arraycopy(b, at + length, cut, at, b.length - at - length);
          b = cut;
        }
        default -> {
          byte[] noise = new byte[1 + random.nextInt(16)];
          random.nextBytes(noise);
          b = splice(b, at, noise);
        }
      }
    }
    return b;
  }

  /** A position in an array of {@code length}, in its first 512 bytes half of the time. */
  private int position(int length) {
    if (length == 0) {
      return 0;
    }
    return random.nextInt(random.nextBoolean() ? Math.min(length, 512) : length);
  }

  private static byte[] splice(byte[] b, int at, byte[] insert) {
    byte[] out = new byte[b.length + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at, out, at + insert.length, b.length - at);
    return out;
  }
}
