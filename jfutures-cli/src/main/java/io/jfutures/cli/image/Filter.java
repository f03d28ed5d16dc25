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

  /** The kernel's width and height: 3 or 5. */
  public int size() {
    return size;
  }

  public int scale() {
    return scale;
  }

  public int offset() {
    return offset;
  }

  /** The coefficients row by row, as Pillow's {@code ImageFilter} lists them. */
  public int[] kernel() {
    return kernel.clone();
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
    int to = stride - half * bands;
    Rows rows = integerPath ? new IntegerRows(stride) : new FloatRows(stride);
    for (int y = half; y < h - half; y++) {
      int row = y * stride;
      System.arraycopy(in, row, out, row, from);
      System.arraycopy(in, row + to, out, row + to, stride - to);
      rows.start(from, to);
      for (int j = 0; j < size; j++) {
        int source = (y + half - j) * stride;
        if (size == 3) {
          rows.add3(in, source, bands, from, to, j * 3);
        } else {
          rows.add5(in, source, bands, from, to, j * 5);
        }
      }
      rows.finish(out, row, from, to);
    }
    return new Image(w, h, image.mode(), out);
  }

  /** One output row's accumulators, fed one kernel row at a time. */
  private abstract static class Rows {
    abstract void start(int from, int to);

    abstract void add3(byte[] in, int source, int d, int from, int to, int k);

    abstract void add5(byte[] in, int source, int d, int from, int to, int k);

    abstract void finish(byte[] out, int row, int from, int to);
  }

  /**
   * Exact integer arithmetic for a power-of-two scale: the accumulator holds {@code 2·sum +
   * (2·offset + 1)·scale}, so that one arithmetic shift gives {@code floor(offset + 0.5 +
   * sum/scale)}, which is what Pillow's truncation of a positive float gives.
   */
  private final class IntegerRows extends Rows {
    private final int[] acc;
    private final int[] twice = Arrays.stream(kernel).map(k -> 2 * k).toArray();
    private final int base = (2 * offset + 1) * scale;
    private final int shift = Integer.numberOfTrailingZeros(scale) + 1;

    IntegerRows(int stride) {
      acc = new int[stride];
    }

    @Override
    void start(int from, int to) {
      Arrays.fill(acc, from, to, base);
    }

    @Override
    void add3(byte[] in, int source, int d, int from, int to, int k) {
      int k0 = twice[k];
      int k1 = twice[k + 1];
      int k2 = twice[k + 2];
      int[] acc = this.acc;
      for (int i = from; i < to; i++) {
        int p = source + i;
        acc[i] += (in[p - d] & 0xff) * k0 + (in[p] & 0xff) * k1 + (in[p + d] & 0xff) * k2;
      }
    }

    @Override
    void add5(byte[] in, int source, int d, int from, int to, int k) {
      int k0 = twice[k];
      int k1 = twice[k + 1];
      int k2 = twice[k + 2];
      int k3 = twice[k + 3];
      int k4 = twice[k + 4];
      int[] acc = this.acc;
      int dd = d + d;
      for (int i = from; i < to; i++) {
        int p = source + i;
        acc[i] +=
            (in[p - dd] & 0xff) * k0
                + (in[p - d] & 0xff) * k1
                + (in[p] & 0xff) * k2
                + (in[p + d] & 0xff) * k3
                + (in[p + dd] & 0xff) * k4;
      }
    }

    @Override
    void finish(byte[] out, int row, int from, int to) {
      int[] acc = this.acc;
      for (int i = from; i < to; i++) {
        int v = acc[i] >> shift;
        out[row + i] = (byte) Math.min(Math.max(v, 0), 255);
      }
    }
  }

  /** Pillow's own single-precision arithmetic, operation for operation. */
  private final class FloatRows extends Rows {
    private final float[] acc;
    private final float[] weights = new float[kernel.length];
    private final float bias = offset + 0.5f;

    FloatRows(int stride) {
      acc = new float[stride];
      for (int i = 0; i < kernel.length; i++) {
        weights[i] = (float) kernel[i] / (float) scale;
      }
    }

    @Override
    void start(int from, int to) {
      Arrays.fill(acc, from, to, bias);
    }

    @Override
    void add3(byte[] in, int source, int d, int from, int to, int k) {
      float k0 = weights[k];
      float k1 = weights[k + 1];
      float k2 = weights[k + 2];
      float[] acc = this.acc;
      for (int i = from; i < to; i++) {
        int p = source + i;
        acc[i] += (in[p - d] & 0xff) * k0 + (in[p] & 0xff) * k1 + (in[p + d] & 0xff) * k2;
      }
    }

    @Override
    void add5(byte[] in, int source, int d, int from, int to, int k) {
      float k0 = weights[k];
      float k1 = weights[k + 1];
      float k2 = weights[k + 2];
      float k3 = weights[k + 3];
      float k4 = weights[k + 4];
      float[] acc = this.acc;
      int dd = d + d;
      for (int i = from; i < to; i++) {
        int p = source + i;
        acc[i] +=
            (in[p - dd] & 0xff) * k0
                + (in[p - d] & 0xff) * k1
                + (in[p] & 0xff) * k2
                + (in[p + d] & 0xff) * k3
                + (in[p + dd] & 0xff) * k4;
      }
    }

    @Override
    void finish(byte[] out, int row, int from, int to) {
      float[] acc = this.acc;
      for (int i = from; i < to; i++) {
        float s = acc[i];
        out[row + i] = s <= 0f ? 0 : s >= 255f ? (byte) 255 : (byte) (int) s;
      }
    }
  }
}
