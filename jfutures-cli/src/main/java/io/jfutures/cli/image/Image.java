package io.jfutures.cli.image;

import java.util.Objects;

/**
 * An 8-bit image in memory: {@code width × height} pixels of {@link Mode#bands()} samples each,
 * interleaved row by row without padding, as Pillow's modes L, LA, RGB and RGBA hold them.
 *
 * <p>{@code samples} is owned by the image once built; nobody writes to it afterwards.
 */
public record Image(int width, int height, Mode mode, byte[] samples) {

  /** Pillow's 8-bit modes that the filters work on. */
  public enum Mode {
    L(1),
    LA(2),
    RGB(3),
    RGBA(4);

    private final int bands;

    Mode(int bands) {
      this.bands = bands;
    }

    public int bands() {
      return bands;
    }

    public boolean hasAlpha() {
      return this == LA || this == RGBA;
    }
  }

  public Image {
    Objects.requireNonNull(mode, "mode");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if ((long) width * height * mode.bands() != samples.length) {
      throw new IllegalArgumentException(
          samples.length
              + " samples do not make a "
              + width
              + "x"
              + height
              + " "
              + mode
              + " image");
    }
  }

  /** Bytes per row. */
  public int stride() {
    return width * mode.bands();
  }

  /** Throws a clear error when a {@code width × height × bands} image cannot fit in one array. */
  public static int sampleCount(int width, int height, Mode mode) {
    long count = (long) width * height * mode.bands();
    if (count > Integer.MAX_VALUE - 16) {
      throw new ImageException("image too large to process: " + width + "x" + height + " " + mode);
    }
    return (int) count;
  }
}
