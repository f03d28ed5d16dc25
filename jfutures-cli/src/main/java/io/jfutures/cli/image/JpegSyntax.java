package io.jfutures.cli.image;

/**
 * Checks a JPEG's marker segments as libjpeg-turbo's classic decoder reads them, so that what it
 * would stop on with a fatal error ({@code ERREXIT}) is refused here, in Java, with an {@link
 * ImageException} instead. {@link LibJpeg} needs this: its fatal errors end the process (see
 * there). Errors libjpeg only warns about (corrupt entropy-coded data, extraneous bytes, a
 * truncated scan) are left to it, since it decodes such files as Pillow does.
 *
 * <p>The rules are libjpeg-turbo 2.1's, from {@code jdmarker.c} (segment syntax), {@code jdinput.c}
 * (frame limits, blocks per MCU, quantization tables defined before use), {@code jdhuff.c}/{@code
 * jdphuff.c} (Huffman tables, progression parameters), {@code jdarith.c} and {@code jdsample.c}
 * (integral sampling ratios). One pass over the bytes; entropy-coded data is skipped to the next
 * marker, as {@link ImageHeader} does.
 */
final class JpegSyntax {
  /** libjpeg's {@code JPEG_MAX_DIMENSION}. */
  static final int MAX_DIMENSION = 65500;

  private static final int MAX_COMPONENTS = 10;
  private static final int MAX_COMPONENTS_IN_SCAN = 4;
  private static final int MAX_BLOCKS_IN_MCU = 10;

  private final byte[] jpeg;
  private int at;

  private boolean sawFrame;
  private boolean arithmetic;
  private boolean progressive;

  /** Whether a scan came, and whether libjpeg then expects more: see {@link #scan}. */
  private boolean sawScan;

  private boolean multipleScans;
  private int maxH;
  private int maxV;
  private int[] ids = new int[0];
  private int[] h = new int[0];
  private int[] v = new int[0];
  private int[] quantTable = new int[0];
  private final boolean[] quantDefined = new boolean[4];

  /** Huffman tables, DC at 0-3 and AC at 4-7: code-length counts (17) then symbols. */
  private final int[][] huffman = new int[8][];

  private JpegSyntax(byte[] jpeg) {
    this.jpeg = jpeg;
  }

  /**
   * Throws an {@link ImageException} naming the first thing in {@code jpeg} that libjpeg would stop
   * on; returns if there is none.
   */
  static void check(byte[] jpeg) {
    new JpegSyntax(jpeg).walk();
  }

  private void walk() {
    if (jpeg.length < 2 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
      throw corrupt("it does not start with a JPEG start-of-image marker");
    }
    at = 2;
    while (true) {
      int marker = nextMarker();
      if (marker < 0) {
        if (!sawScan) {
          throw new ImageException(ImageFiles.TRUNCATED_MESSAGE + " (it ends before its image)");
        }
        return;
      }
      if (marker == 0xD9) {
        if (!sawScan) {
          throw corrupt("it ends (EOI) before any image data");
        }
        return;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue;
      }
      if (marker == 0xD8) {
        throw corrupt("a second start-of-image marker");
      }
      int length = segmentLength(marker);
      int body = at + 2;
      int end = at + length;
      switch (marker) {
        case 0xC0, 0xC1, 0xC2, 0xC9, 0xCA -> frame(marker, body, end);
        case 0xC4 -> huffmanTables(body, end);
        case 0xDB -> quantizationTables(body, end);
        case 0xCC -> arithmeticConditioning(body, end);
        case 0xDD -> {
          if (length != 4) {
            throw corrupt("a restart interval segment of " + length + " bytes instead of 4");
          }
        }
        case 0xDA -> scan(body, end);
        case 0xC3, 0xC5, 0xC6, 0xC7, 0xC8, 0xCB, 0xCD, 0xCE, 0xCF ->
            throw new ImageException(
                "unsupported JPEG process (SOF"
                    + (marker - 0xC0)
                    + ": lossless or hierarchical); only baseline, extended and progressive JPEGs"
                    + " can be read");
        default -> {
          boolean skipped = (marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE || marker == 0xDC;
          if (!skipped) {
            throw corrupt(String.format("unknown marker 0x%02X", marker));
          }
        }
      }
      at = end;
      if (marker == 0xDA) {
        at = ImageHeader.nextMarker(jpeg, at);
      }
    }
  }

  /**
   * The next marker's code, with {@link #at} just past it; -1 at the end of the bytes. Bytes before
   * a marker are skipped, as libjpeg skips them with a warning.
   */
  private int nextMarker() {
    while (at + 1 < jpeg.length) {
      if ((jpeg[at] & 0xff) != 0xFF) {
        at++;
        continue;
      }
      int i = at + 1;
      while (i < jpeg.length && (jpeg[i] & 0xff) == 0xFF) {
        i++;
      }
      if (i >= jpeg.length) {
        return -1;
      }
      int marker = jpeg[i] & 0xff;
      at = i + 1;
      if (marker != 0) {
        return marker;
      }
    }
    return -1;
  }

  /** The length of the segment whose length field is at {@link #at}, checked against the end. */
  private int segmentLength(int marker) {
    if (at + 2 > jpeg.length) {
      throw truncated();
    }
    int length = u16(at);
    if (length < 2) {
      throw corrupt(String.format("marker 0x%02X declares a length of %d", marker, length));
    }
    if (at + length > jpeg.length) {
      throw truncated();
    }
    return length;
  }

  private void frame(int marker, int body, int end) {
    if (sawFrame) {
      throw corrupt("a second frame header");
    }
    sawFrame = true;
    arithmetic = marker >= 0xC9;
    progressive = marker == 0xC2 || marker == 0xCA;
    if (end - body < 6) {
      throw corrupt("a frame header too short to hold the image's size");
    }
    int precision = jpeg[body] & 0xff;
    int height = u16(body + 1);
    int width = u16(body + 3);
    int count = jpeg[body + 5] & 0xff;
    if (precision != 8) {
      throw new ImageException(
          precision + "-bit JPEG images are not supported; only 8-bit images can be filtered");
    }
    if (width == 0 || height == 0 || count == 0) {
      throw corrupt("the frame header declares an empty image");
    }
    if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
      throw new ImageException(
          "the image is " + width + "x" + height + "; JPEG decoders go to " + MAX_DIMENSION);
    }
    if (count > MAX_COMPONENTS) {
      throw corrupt(count + " colour components");
    }
    if (end - body != 6 + 3 * count) {
      throw corrupt("a frame header whose length does not match its " + count + " components");
    }
    ids = new int[count];
    h = new int[count];
    v = new int[count];
    quantTable = new int[count];
    for (int c = 0; c < count; c++) {
      int p = body + 6 + 3 * c;
      ids[c] = jpeg[p] & 0xff;
      h[c] = (jpeg[p + 1] & 0xff) >> 4;
      v[c] = jpeg[p + 1] & 0x0f;
      quantTable[c] = jpeg[p + 2] & 0xff;
      if (h[c] < 1 || h[c] > 4 || v[c] < 1 || v[c] > 4) {
        throw corrupt("sampling factors " + h[c] + "x" + v[c] + " (1 to 4 are allowed)");
      }
      if (quantTable[c] > 3) {
        throw corrupt("quantization table " + quantTable[c] + " (0 to 3 exist)");
      }
      maxH = Math.max(maxH, h[c]);
      maxV = Math.max(maxV, v[c]);
    }
    for (int c = 0; c < count; c++) {
      if (maxH % h[c] != 0 || maxV % v[c] != 0) {
        throw new ImageException(
            "unsupported JPEG: a component sampled "
                + h[c]
                + "x"
                + v[c]
                + " against "
                + maxH
                + "x"
                + maxV
                + " (a fractional ratio no decoder implements)");
      }
    }
  }

  private void huffmanTables(int body, int end) {
    int p = body;
    while (end - p > 16) {
      int index = jpeg[p] & 0xff;
      int[] table = new int[17 + 256];
      int count = 0;
      for (int l = 1; l <= 16; l++) {
        table[l] = jpeg[p + l] & 0xff;
        count += table[l];
      }
      p += 17;
      if (count > 256 || count > end - p) {
        throw corrupt("a Huffman table with " + count + " codes");
      }
      for (int i = 0; i < count; i++) {
        table[17 + i] = jpeg[p + i] & 0xff;
      }
      table[0] = count;
      p += count;
      int slot = (index & 0x10) != 0 ? index - 0x10 : index;
      if (slot < 0 || slot > 3) {
        throw corrupt(String.format("Huffman table index 0x%02X", index));
      }
      huffman[(index & 0x10) != 0 ? 4 + slot : slot] = table;
    }
    if (p != end) {
      throw corrupt("a Huffman table segment whose length does not match its tables");
    }
  }

  private void quantizationTables(int body, int end) {
    int p = body;
    while (p < end) {
      int n = jpeg[p++] & 0xff;
      int precision = n >> 4;
      int index = n & 0x0f;
      if (index > 3) {
        throw corrupt("quantization table index " + index);
      }
      // libjpeg reads a whole table, 16-bit values for any precision but 0, whatever the length.
      p += precision != 0 ? 128 : 64;
      quantDefined[index] = true;
    }
    if (p != end) {
      throw corrupt("a quantization table segment whose length does not match its tables");
    }
  }

  private void arithmeticConditioning(int body, int end) {
    if ((end - body) % 2 != 0) {
      throw corrupt("an arithmetic conditioning segment of odd length");
    }
    for (int p = body; p < end; p += 2) {
      int index = jpeg[p] & 0xff;
      int value = jpeg[p + 1] & 0xff;
      if (index >= 32) {
        throw corrupt("arithmetic conditioning table " + index);
      }
      boolean bad = index < 16 ? (value & 0x0f) > (value >> 4) : value < 1 || value > 63;
      if (bad) {
        throw corrupt("arithmetic conditioning value " + value);
      }
    }
  }

  private void scan(int body, int end) {
    if (!sawFrame) {
      throw corrupt("a scan before the frame header");
    }
    int count = end - body >= 1 ? jpeg[body] & 0xff : 0;
    if (count < 1 || count > MAX_COMPONENTS_IN_SCAN || end - body != 4 + 2 * count) {
      throw corrupt("a scan header of " + (end - body + 2) + " bytes for " + count + " components");
    }
    int ss = jpeg[body + 1 + 2 * count] & 0xff;
    int se = jpeg[body + 2 + 2 * count] & 0xff;
    int ah = (jpeg[body + 3 + 2 * count] & 0xff) >> 4;
    int al = jpeg[body + 3 + 2 * count] & 0x0f;
    if (progressive) {
      boolean bad = ss == 0 ? se != 0 : ss > se || se > 63 || count != 1;
      if ((ah != 0 && al != ah - 1) || al > 13) {
        bad = true;
      }
      if (bad) {
        throw corrupt(
            "invalid progressive parameters Ss=" + ss + " Se=" + se + " Ah=" + ah + " Al=" + al);
      }
    }
    int blocks = 0;
    int[] seen = new int[count];
    for (int i = 0; i < count; i++) {
      int id = jpeg[body + 1 + 2 * i] & 0xff;
      int tables = jpeg[body + 2 + 2 * i] & 0xff;
      int c = componentOf(id);
      for (int j = 0; j < i; j++) {
        if (seen[j] == id) {
          throw corrupt("component " + id + " twice in one scan");
        }
      }
      seen[i] = id;
      if (!quantDefined[quantTable[c]]) {
        throw corrupt("quantization table " + quantTable[c] + " is used but never defined");
      }
      blocks += h[c] * v[c];
      if (!arithmetic) {
        boolean dc = !progressive || (ss == 0 && ah == 0);
        boolean ac = !progressive || ss > 0;
        if (dc) {
          checkHuffman(tables >> 4, true);
        }
        if (ac) {
          checkHuffman(tables & 0x0f, false);
        }
      }
    }
    if (count > 1 && blocks > MAX_BLOCKS_IN_MCU) {
      throw corrupt("sampling factors too large for an interleaved scan");
    }
    // libjpeg decides at the first scan: a sequential JPEG whose first scan holds every component
    // has only that one.
    if (!sawScan) {
      sawScan = true;
      multipleScans = progressive || count < ids.length;
    } else if (!multipleScans) {
      throw corrupt("a second scan in a JPEG whose first scan held every component");
    }
  }

  private int componentOf(int id) {
    for (int c = 0; c < ids.length; c++) {
      if (ids[c] == id) {
        return c;
      }
    }
    throw corrupt("a scan names component " + id + ", which the frame does not have");
  }

  /**
   * The checks libjpeg makes of a Huffman table as a scan starts to use it. A sequential JPEG may
   * leave tables 0 and 1 undefined, since libjpeg-turbo's sequential decoder then takes the
   * standard ones (for Motion-JPEG frames); its progressive decoder does not.
   */
  private void checkHuffman(int slot, boolean dc) {
    String kind = dc ? "DC" : "AC";
    if (slot > 3) {
      throw corrupt(kind + " Huffman table " + slot + " (0 to 3 exist)");
    }
    int[] table = huffman[dc ? slot : 4 + slot];
    if (table == null) {
      if (slot > 1 || progressive) {
        throw corrupt(kind + " Huffman table " + slot + " is used but never defined");
      }
      return;
    }
    long code = 0;
    for (int length = 1; length <= 16; length++) {
      code += table[length];
      if (table[length] > 0 && code >= (1L << length)) {
        throw corrupt("a Huffman table whose codes do not fit their lengths");
      }
      code <<= 1;
    }
    if (dc) {
      for (int i = 0; i < table[0]; i++) {
        if (table[17 + i] > 15) {
          throw corrupt("a DC Huffman table with symbol " + table[17 + i]);
        }
      }
    }
  }

  private int u16(int p) {
    return ((jpeg[p] & 0xff) << 8) | (jpeg[p + 1] & 0xff);
  }

  private static ImageException corrupt(String what) {
    return new ImageException("not a readable JPEG: " + what);
  }

  private static ImageException truncated() {
    return new ImageException(
        ImageFiles.TRUNCATED_MESSAGE + " (a marker segment runs past the end of the file)");
  }
}
