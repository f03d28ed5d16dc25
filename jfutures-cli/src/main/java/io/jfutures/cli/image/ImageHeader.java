package io.jfutures.cli.image;

import java.util.Locale;

/**
 * What an encoded image declares before it is decoded: its size and, for JPEG, its number of scans.
 * Read from the bytes alone, in one pass that allocates nothing, so that an image declaring a size
 * it was made to exhaust memory with (a "decompression bomb") is refused before any decoder
 * allocates for it, whichever decoder would run.
 *
 * <p>The limits are Pillow's where Pillow has one: {@link #DEFAULT_MAX_PIXELS} is twice {@code
 * Image.MAX_IMAGE_PIXELS}, where Pillow's {@code DecompressionBombError} starts. A JPEG's scans are
 * limited as libjpeg-turbo's {@code TJFLAG_LIMITSCANS} limits them (500): each scan of a
 * progressive JPEG passes over the whole image, so a small file of thousands of tiny scans takes
 * minutes to decode, while real encoders write at most a few dozen.
 *
 * @param scans the JPEG's start-of-scan markers; 0 for PNG
 */
record ImageHeader(long width, long height, int scans) {
  /** Pillow's {@code 2 * Image.MAX_IMAGE_PIXELS}: 178,956,970 pixels. */
  static final long DEFAULT_MAX_PIXELS = 2L * (1024 * 1024 * 1024 / 4 / 3);

  static final int MAX_SCANS = 500;

  long pixels() {
    return width * height;
  }

  /**
   * Throws if the image declares more than {@code maxPixels} pixels (0: no limit) or, for JPEG,
   * more than {@link #MAX_SCANS} scans.
   */
  void check(long maxPixels) {
    if (maxPixels > 0 && pixels() > maxPixels) {
      throw new ImageException(
          String.format(
              Locale.ROOT,
              "the image declares %dx%d pixels (%,d), over the limit of %,d that guards against"
                  + " decompression bombs; if you trust the file, raise it with --max-pixels N"
                  + " (0 for no limit)",
              width,
              height,
              pixels(),
              maxPixels));
    }
    if (scans > MAX_SCANS) {
      throw new ImageException(
          "the JPEG has "
              + scans
              + " scans, over the limit of "
              + MAX_SCANS
              + " (real encoders write a few dozen at most; so many only make decoding slow)");
    }
  }

  /** The PNG's size from its IHDR chunk, or null when the header is too short to say. */
  static ImageHeader png(byte[] png) {
    // signature(8) length(4) "IHDR"(4) width(4) height(4)
    if (png.length < 24 || png[12] != 'I' || png[13] != 'H' || png[14] != 'D' || png[15] != 'R') {
      return null;
    }
    return new ImageHeader(uint32(png, 16), uint32(png, 20), 0);
  }

  /**
   * The JPEG's size from its first frame header and its count of scans, or null when no frame
   * header comes before the first scan or the end of the bytes (the decoder then says what is
   * wrong). Markers are walked by their lengths; entropy-coded data after a scan header is skipped
   * to the next marker, which is exact since the format stuffs a zero after every 0xFF it holds.
   */
  static ImageHeader jpeg(byte[] jpeg) {
    long width = -1;
    long height = -1;
    int scans = 0;
    int at = 2;
    while (at < jpeg.length) {
      if ((jpeg[at] & 0xff) != 0xFF) {
        break;
      }
      while (at < jpeg.length && (jpeg[at] & 0xff) == 0xFF) {
        at++;
      }
      if (at >= jpeg.length) {
        break;
      }
      int marker = jpeg[at++] & 0xff;
      if (marker == 0xD9) {
        break;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        continue;
      }
      if (at + 2 > jpeg.length) {
        break;
      }
      int length = ((jpeg[at] & 0xff) << 8) | (jpeg[at + 1] & 0xff);
      boolean frame =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frame && width < 0 && at + 7 <= jpeg.length) {
        height = ((jpeg[at + 3] & 0xff) << 8) | (jpeg[at + 4] & 0xff);
        width = ((jpeg[at + 5] & 0xff) << 8) | (jpeg[at + 6] & 0xff);
      }
      if (length < 2) {
        break;
      }
      at += length;
      if (marker == 0xDA) {
        scans++;
        at = nextMarker(jpeg, at);
      }
    }
    return width < 0 ? null : new ImageHeader(width, height, scans);
  }

  /** The index of the next marker's 0xFF at or after {@code at} in entropy-coded data. */
  static int nextMarker(byte[] jpeg, int at) {
    for (int i = at; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF) {
        int next = jpeg[i + 1] & 0xff;
        if (next != 0 && (next < 0xD0 || next > 0xD7) && next != 0xFF) {
          return i;
        }
      }
    }
    return jpeg.length;
  }

  private static long uint32(byte[] b, int at) {
    return ((long) (b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
