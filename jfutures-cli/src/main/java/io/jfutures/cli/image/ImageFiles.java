package io.jfutures.cli.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encoded image files: which format bytes hold (decided by content, as Pillow decides, never by
 * name), and reading and writing them. JPEG goes through a {@link JpegCodec}; PNG through ImageIO,
 * whose decoding is lossless and so gives Pillow's pixels.
 */
public final class ImageFiles {
  static final String PALETTE_MESSAGE =
      "palette images (mode P) cannot be filtered; Pillow refuses them too. Convert the image to"
          + " RGB or RGBA first";
  static final String CMYK_MESSAGE =
      "CMYK JPEG images are not supported; convert the image to RGB first";
  static final String TRUNCATED_MESSAGE = "image file is truncated";

  /**
   * The most pixels an image may declare unless the user says otherwise: Pillow's limit, where its
   * {@code DecompressionBombError} starts (178,956,970).
   */
  public static final long DEFAULT_MAX_PIXELS = ImageHeader.DEFAULT_MAX_PIXELS;

  /** The largest file a byte array can hold, and so the most the tool reads whatever the limit. */
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

  private ImageFiles() {}

  /**
   * The largest file an image of at most {@code maxPixels} pixels could be (0: no pixel limit):
   * eight bytes a pixel, more than an uncompressed 8-bit RGBA PNG or a JPEG of random noise at
   * quality 100 takes, plus 64 MiB for metadata.
   */
  public static long maxFileBytes(long maxPixels) {
    if (maxPixels <= 0 || maxPixels > MAX_FILE_BYTES / 8) {
      return MAX_FILE_BYTES;
    }
    return Math.min(MAX_FILE_BYTES, 8 * maxPixels + (64 << 20));
  }

  /** The encoded formats the tool reads and writes. */
  public enum Format {
    JPEG("jpg"),
    PNG("png");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    /** The extension the tool gives files it writes in this format, without the dot. */
    public String extension() {
      return extension;
    }

    /** The format Pillow would pick to save under this file name, if the extension names one. */
    public static Optional<Format> ofFileName(String name) {
      int dot = name.lastIndexOf('.');
      String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
      return switch (extension) {
        case "jpg", "jpeg", "jpe", "jfif" -> Optional.of(JPEG);
        case "png" -> Optional.of(PNG);
        default -> Optional.empty();
      };
    }
  }

  /**
   * The format of these bytes, from their first bytes.
   *
   * @throws ImageException naming what the bytes are, when not JPEG or PNG
   */
  public static Format formatOf(byte[] data) {
    if (data.length >= 3
        && (data[0] & 0xff) == 0xFF
        && (data[1] & 0xff) == 0xD8
        && (data[2] & 0xff) == 0xFF) {
      return Format.JPEG;
    }
    if (data.length >= 8
        && (data[0] & 0xff) == 0x89
        && data[1] == 'P'
        && data[2] == 'N'
        && data[3] == 'G'
        && data[4] == '\r'
        && data[5] == '\n'
        && data[6] == 0x1A
        && data[7] == '\n') {
      return Format.PNG;
    }
    if (data.length == 0) {
      throw new ImageException("empty file, not an image");
    }
    String other = other(data);
    throw new ImageException(
        other == null
            ? "not a JPEG or PNG image (unrecognised content)"
            : other + " images are not supported; only JPEG and PNG are");
  }

  private static String other(byte[] d) {
    if (starts(d, "GIF8")) {
      return "GIF";
    }
    if (starts(d, "BM")) {
      return "BMP";
    }
    if (starts(d, "RIFF") && d.length >= 12 && new String(d, 8, 4).equals("WEBP")) {
      return "WebP";
    }
    if (starts(d, "II*\0") || starts(d, "MM\0*")) {
      return "TIFF";
    }
    return null;
  }

  private static boolean starts(byte[] data, String magic) {
    if (data.length < magic.length()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (data[i] != (byte) magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** {@link #decode(byte[], JpegCodec, long)} within {@link #DEFAULT_MAX_PIXELS}. */
  public static Image decode(byte[] data, JpegCodec jpeg) {
    return decode(data, jpeg, DEFAULT_MAX_PIXELS);
  }

  /**
   * Decodes a JPEG or PNG file's bytes into Pillow's mode for it; {@code jpeg} may be null for PNG.
   * The header is checked against the limits before any decoder sees the bytes.
   *
   * @param maxPixels the most pixels the image may declare; 0 for no limit
   * @throws ImageException saying what is wrong with the file, whatever the decoder threw
   */
  public static Image decode(byte[] data, JpegCodec jpeg, long maxPixels) {
    Format format = formatOf(data);
    ImageHeader header = format == Format.JPEG ? ImageHeader.jpeg(data) : ImageHeader.png(data);
    if (header != null) {
      header.check(maxPixels);
    }
    try {
      return switch (format) {
        case JPEG -> jpeg.decode(data);
        case PNG -> decodePng(data);
      };
    } catch (ImageException e) {
      throw e;
    } catch (RuntimeException e) {
      // Decoders throw assorted unchecked exceptions at malformed data; the user needs only what
      // the decoder said, not which of its classes said it.
      throw new ImageException(
          "corrupt " + format + " image: the decoder could not read it (" + said(e) + ")", e);
    } catch (OutOfMemoryError e) {
      throw new ImageException(
          "not enough memory to decode this image"
              + (header == null ? "" : " of " + header.width() + "x" + header.height() + " pixels")
              + "; lower --max-pixels to refuse such images, or give the workers more memory",
          e);
    }
  }

  /** What went wrong with a file, in the words a user reads, without the exception's class. */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  /** An exception's message for a user, without its class name; never empty. */
  static String said(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? "no reason given" : message;
  }

  /**
   * Encodes as Pillow's {@code save} does by default; {@code quality} applies to JPEG only, and
   * {@code jpeg} may be null for PNG.
   */
  public static byte[] encode(Image image, Format format, int quality, JpegCodec jpeg) {
    return switch (format) {
      case JPEG -> jpeg.encode(image, quality);
      case PNG -> encodePng(image);
    };
  }

  static String cannotWriteJpeg(Image.Mode mode) {
    return "cannot write mode "
        + mode
        + " as JPEG (JPEG has no alpha channel); choose --format png";
  }

  static boolean isTruncationWarning(String warning) {
    String text = warning.toLowerCase(Locale.ROOT);
    return text.contains("premature end") || text.contains("truncated");
  }

  private static Image decodePng(byte[] png) {
    // IHDR is the first chunk: length(4) "IHDR"(4) width(4) height(4) depth(1) colour type(1)
    if (png.length < 26) {
      throw new ImageException(TRUNCATED_MESSAGE + " (no PNG header)");
    }
    int depth = png[24] & 0xff;
    int colourType = png[25] & 0xff;
    if (colourType == 3) {
      throw new ImageException(PALETTE_MESSAGE);
    }
    if (depth != 8) {
      throw new ImageException(
          depth + "-bit PNG images are not supported; only 8-bit images can be filtered");
    }
    ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      reader.setInput(input, true, true);
      BufferedImage image = reader.read(0);
      return Rasters.toImage(image);
    } catch (IOException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String reason = String.valueOf(cause.getMessage());
      if (cause instanceof java.io.EOFException || reason.contains("EOF")) {
        throw new ImageException(TRUNCATED_MESSAGE, e);
      }
      throw new ImageException("corrupt PNG: " + reason, e);
    } finally {
      reader.dispose();
    }
  }

  private static byte[] encodePng(Image image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.samples().length / 2 + 1024);
    try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(output);
      writer.write(Rasters.toBufferedImage(image));
    } catch (IOException e) {
      throw new ImageException("PNG encoding failed: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
