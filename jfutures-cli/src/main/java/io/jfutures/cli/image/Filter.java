package io.jfutures.cli.image;

import java.util.Arrays;
import java.util.Locale;

/**
 * Pillow's built-in {@code ImageFilter} kernels, applied with Pillow's exact arithmetic so that the
 * filtered bytes are identical to Pillow's.
 *
 * <p>Pillow's rule (libImaging {@code Filter.c} with the kernel prepared by {@code _imaging.c}):
 * each coefficient is divided by the scale in single precision; for every sample the accumulator is
 * a {@code float} that starts at {@code offset + 0.5} and receives one kernel row at a time, from
 * the kernel's first row applied to the image row <em>below</em> the pixel (the kernel is flipped
 * vertically, not horizontally), each row summed left to right; the result is clamped to 0..255 and
 * truncated. Every band is filtered on its own, alpha included. The outermost one (3×3) or two
 * (5×5) rows and columns are copied unchanged, and an image smaller than the kernel comes back
 * unchanged.
 *
 * <p>This class keeps that order of operations exactly, so the {@code float} path rounds as
 * Pillow's does. When the scale is a power of two, every coefficient and partial sum is exact in a
 * {@code float}, so the same bytes come from integer arithmetic, which is faster; the tests hold
 * both paths to Pillow's output.
 */
public enum Filter {
  BLUR(
      16, 0, 1, 1, 1, 1, 1, //
      1, 0, 0, 0, 1, //
      1, 0, 0, 0, 1, //
      1, 0, 0, 0, 1, //
      1, 1, 1, 1, 1),
  CONTOUR(
      1, 255, -1, -1, -1, //
      -1, 8, -1, //
      -1, -1, -1),
  DETAIL(
      6, 0, 0, -1, 0, //
      -1, 10, -1, //
      0, -1, 0),
  EDGE_ENHANCE(
      2, 0, -1, -1, -1, //
      -1, 10, -1, //
      -1, -1, -1),
  EDGE_ENHANCE_MORE(
      1, 0, -1, -1, -1, //
      -1, 9, -1, //
      -1, -1, -1),
  EMBOSS(
      1, 128, -1, 0, 0, //
      0, 1, 0, //
      0, 0, 0),
  FIND_EDGES(
      1, 0, -1, -1, -1, //
      -1, 8, -1, //
      -1, -1, -1),
  SHARPEN(
      16, 0, -2, -2, -2, //
      -2, 32, -2, //
      -2, -2, -2),
  SMOOTH(
      13, 0, 1, 1, 1, //
      1, 5, 1, //
      1, 1, 1),
  SMOOTH_MORE(
      100, 0, 1, 1, 1, 1, 1, //
      1, 5, 5, 5, 1, //
      1, 5, 44, 5, 1, //
      1, 5, 5, 5, 1, //
      1, 1, 1, 1, 1);

  private final int size;
  private final int scale;
  private final int offset;
  private final int[] kernel;

  Filter(int scale, int offset, int... kernel) {
    this.size = kernel.length == 9 ? 3 : 5;
    this.scale = scale;
    this.offset = offset;
    this.kernel = kernel;
  }

  /** The name as Pillow spells the class, {@code CONTOUR}, accepted in any case and with dashes. */
  public static Filter parse(String name) {
    String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Filter filter : values()) {
      if (filter.name().equals(key)) {
        return filter;
      }
    }
    throw new IllegalArgumentException(
        "unknown filter '"
            + name
            + "'; choose one of "
            + Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }

  /** Returns the filtered image; {@code image} is left as it was. */
  public Image apply(Image image) {
    return apply(image, Integer.bitCount(scale) == 1);
  }

  /**
   * The rule itself, with the integer path allowed or not. Package-private so that the tests can
   * hold the {@code float} path to Pillow's bytes also for kernels that normally take the integer
   * path.
   */
  Image apply(Image image, boolean integerPath) {
    int w = image.width();
    int h = image.height();
    byte[] in = image.samples();
    if (w < size || h < size) {
      return new Image(w, h, image.mode(), in.clone());
    }
    int bands = image.mode().bands();
    int stride = image.stride();
    int half = size / 2;
    byte[] out = new byte[in.length];
    System.arraycopy(in, 0, out, 0, half * stride);
    System.arraycopy(in, (h - half) * stride, out, (h - half) * stride, half * stride);
    int from = half * bands;
    int width = stride - 2 * from;
    Window window = integerPath ? new IntegerWindow(width) : new FloatWindow(width);
    for (int y = 0; y < size - 1; y++) {
      window.load(in, y * stride, bands, y % size);
    }
    for (int y = half; y < h - half; y++) {
      window.load(in, (y + half) * stride, bands, (y + half) % size);
      int row = y * stride;
      System.arraycopy(in, row, out, row, from);
      System.arraycopy(in, row + from + width, out, row + from + width, from);
      window.start();
      for (int j = 0; j < size; j++) {
        window.add((y + half - j) % size, j * size);
      }
      window.finish(out, row + from);
    }
    return new Image(w, h, image.mode(), out);
  }

  /**
   * The last {@code size} image rows, each widened into {@code size} copies shifted by one pixel
   * apiece, and one output row's accumulators. With every tap a separate array indexed alike, the
   * JIT turns the inner loops into SIMD code, which it does not do for one array read at several
   * offsets.
   */
  private abstract sealed class Window {
    /** Widens the image row at {@code row} into ring slot {@code slot}. */
    abstract void load(byte[] in, int row, int bands, int slot);

    abstract void start();

    /** Adds the kernel row starting at coefficient {@code k} applied to ring slot {@code slot}. */
    abstract void add(int slot, int k);

    abstract void finish(byte[] out, int at);
  }

  /**
   * Exact integer arithmetic for a power-of-two scale: the accumulator holds {@code 2·sum +
   * (2·offset + 1)·scale}, so that one arithmetic shift gives {@code floor(offset + 0.5 +
   * sum/scale)}, which is what Pillow's truncation of a positive float gives.
   */
  private final class IntegerWindow extends Window {
    private final int[][][] rows;
    private final int[] acc;
    private final int[] twice = Arrays.stream(kernel).map(k -> 2 * k).toArray();
    private final int base = (2 * offset + 1) * scale;
    private final int shift = Integer.numberOfTrailingZeros(scale) + 1;

    IntegerWindow(int width) {
      rows = new int[size][size][width];
      acc = new int[width];
    }

    @Override
    void load(byte[] in, int row, int bands, int slot) {
      for (int t = 0; t < size; t++) {
        int[] shifted = rows[slot][t];
        int from = row + t * bands;
        for (int i = 0; i < shifted.length; i++) {
          shifted[i] = in[from + i] & 0xff;
        }
      }
    }

    @Override
    void start() {
      Arrays.fill(acc, base);
    }

    @Override
    void add(int slot, int k) {
      int[][] s = rows[slot];
      int[] acc = this.acc;
      if (size == 3) {
        int[] s0 = s[0];
        int[] s1 = s[1];
        int[] s2 = s[2];
        int k0 = twice[k];
        int k1 = twice[k + 1];
        int k2 = twice[k + 2];
        for (int i = 0; i < acc.length; i++) {
          acc[i] += s0[i] * k0 + s1[i] * k1 + s2[i] * k2;
        }
      } else {
        int[] s0 = s[0];
        int[] s1 = s[1];
        int[] s2 = s[2];
        int[] s3 = s[3];
        int[] s4 = s[4];
        int k0 = twice[k];
        int k1 = twice[k + 1];
        int k2 = twice[k + 2];
        int k3 = twice[k + 3];
        int k4 = twice[k + 4];
        for (int i = 0; i < acc.length; i++) {
          acc[i] += s0[i] * k0 + s1[i] * k1 + s2[i] * k2 + s3[i] * k3 + s4[i] * k4;
        }
      }
    }

    @Override
    void finish(byte[] out, int at) {
      int[] acc = this.acc;
      for (int i = 0; i < acc.length; i++) {
        out[at + i] = (byte) Math.min(Math.max(acc[i] >> shift, 0), 255);
      }
    }
  }

  /**
   * Pillow's own single-precision arithmetic, operation for operation: the accumulator starts at
   * {@code offset + 0.5}, and each kernel row's sum, taken left to right, is added to it in turn.
   */
  private final class FloatWindow extends Window {
    private final float[][][] rows;
    private final float[] acc;
    private final float[] weights = new float[kernel.length];
    private final float bias = offset + 0.5f;

    FloatWindow(int width) {
      rows = new float[size][size][width];
      acc = new float[width];
      for (int i = 0; i < kernel.length; i++) {
        weights[i] = (float) kernel[i] / (float) scale;
      }
    }

    @Override
    void load(byte[] in, int row, int bands, int slot) {
      for (int t = 0; t < size; t++) {
        float[] shifted = rows[slot][t];
        int from = row + t * bands;
        for (int i = 0; i < shifted.length; i++) {
          shifted[i] = in[from + i] & 0xff;
        }
      }
    }

    @Override
    void start() {
      Arrays.fill(acc, bias);
    }

    @Override
    void add(int slot, int k) {
      float[][] s = rows[slot];
      float[] acc = this.acc;
      if (size == 3) {
        float[] s0 = s[0];
        float[] s1 = s[1];
        float[] s2 = s[2];
        float k0 = weights[k];
        float k1 = weights[k + 1];
        float k2 = weights[k + 2];
        for (int i = 0; i < acc.length; i++) {
          acc[i] += s0[i] * k0 + s1[i] * k1 + s2[i] * k2;
        }
      } else {
        float[] s0 = s[0];
        float[] s1 = s[1];
        float[] s2 = s[2];
        float[] s3 = s[3];
        float[] s4 = s[4];
        float k0 = weights[k];
        float k1 = weights[k + 1];
        float k2 = weights[k + 2];
        float k3 = weights[k + 3];
        float k4 = weights[k + 4];
        for (int i = 0; i < acc.length; i++) {
          acc[i] += s0[i] * k0 + s1[i] * k1 + s2[i] * k2 + s3[i] * k3 + s4[i] * k4;
        }
      }
    }

    @Override
    void finish(byte[] out, int at) {
      float[] acc = this.acc;
      for (int i = 0; i < acc.length; i++) {
        // Pillow's clip8: 0 at or below 0, 255 at or above 255, else truncated
        out[at + i] = (byte) (int) Math.min(Math.max(acc[i], 0f), 255f);
      }
    }
  }
}
