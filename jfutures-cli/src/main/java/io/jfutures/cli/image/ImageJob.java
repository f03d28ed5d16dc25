package io.jfutures.cli.image;

import io.jfutures.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * One image to read, filter and write: the unit of work that travels to a worker, so it holds only
 * names and settings. On a local pool the worker does it all, in {@link #run()}. On a cluster,
 * whose members cannot see this machine's files, the command {@linkplain #readInput reads} the
 * input, a member {@linkplain #filter filters} its bytes ({@link RemoteImage}), and the command
 * {@linkplain #write writes} what comes back, by the same rules.
 *
 * <p>Every file it touches may have been planted by someone else, so:
 *
 * <ul>
 *   <li>the input must be a regular file (a link to one is followed) no larger than an image within
 *       {@code maxPixels} could be, checked before a byte is read, and is read with that bound;
 *   <li>the output is written to {@link #partialFile()}, whose name ends in a random token chosen
 *       by the caller, created exclusively ({@code O_EXCL}: a link or file already there fails the
 *       job instead of being written through), and then renamed over {@code output} only when
 *       nothing but a regular file stands there. A rename replaces a name, never writes through it,
 *       so a link planted at the output's name is refused and an input hard-linked there keeps its
 *       content. A reader never sees a half-written image, and an interrupted run leaves at most
 *       the partial file, which the caller removes.
 * </ul>
 *
 * @param format the format to write; null to decide as Pillow's {@code save} does: by the output's
 *     extension, else the input's own format
 * @param maxPixels the most pixels an image may declare, as Pillow's {@code MAX_IMAGE_PIXELS}; 0
 *     for no limit
 * @param token the random part of the partial file's name
 * @param isolated whether the job runs in a process pool's worker, where a native codec's fatal
 *     error ends only that worker (see {@link JpegCodec#of(JpegCodec.Choice, boolean)})
 */
public record ImageJob(
    String input,
    String output,
    Filter filter,
    ImageFiles.Format format,
    int quality,
    JpegCodec.Choice codec,
    long maxPixels,
    String token,
    boolean isolated)
    implements Task<ImageJob.Done>, Serializable {

  private static final SecureRandom TOKENS = new SecureRandom();

  public ImageJob {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(codec, "codec");
    if (!token.matches("[0-9a-f]{16,}")) {
      throw new IllegalArgumentException("token must be 16 or more hex digits: " + token);
    }
  }

  /** A job whose partial file gets a fresh unpredictable name. */
  public static ImageJob of(
      String input,
      String output,
      Filter filter,
      ImageFiles.Format format,
      int quality,
      JpegCodec.Choice codec,
      long maxPixels,
      boolean isolated) {
    byte[] random = new byte[12];
    TOKENS.nextBytes(random);
    return new ImageJob(
        input,
        output,
        filter,
        format,
        quality,
        codec,
        maxPixels,
        HexFormat.of().formatHex(random),
        isolated);
  }

  /**
   * What a finished job reports back.
   *
   * @param jpegCodec the {@linkplain JpegCodec#name() name} of the JPEG codec the job used, or null
   *     when it read and wrote no JPEG
   */
  public record Done(
      int width, int height, Image.Mode mode, long bytesRead, long bytesWritten, String jpegCodec)
      implements Serializable {}

  @Override
  public Done call() {
    return run();
  }

  /** The input's file name and the filter, as a pool's insights name a slow image. */
  @Override
  public String toString() {
    return Path.of(input).getFileName() + " (" + filter + ")";
  }

  /** Where the output is written before it is renamed into place. */
  public Path partialFile() {
    Path out = Path.of(output);
    return out.resolveSibling("." + out.getFileName() + "." + token + ".jfutures-part");
  }

  /**
   * Reads, filters and writes the image.
   *
   * @throws ImageException with a message for the user when the image cannot be read, filtered or
   *     written
   */
  public Done run() {
    Filtered filtered = filter(readInput());
    write(filtered.encoded());
    return filtered.done();
  }

  /**
   * An image filtered and encoded, not yet written: what a cluster member sends back for the
   * machine that runs the command to {@linkplain #write write}.
   *
   * @param encoded the output file's bytes
   * @param done what the job reports
   */
  public record Filtered(byte[] encoded, Done done) implements Serializable {}

  /**
   * The input's bytes, refusing anything but a regular file no larger than an image within {@code
   * maxPixels} could be.
   *
   * @throws ImageException saying why the input cannot be read
   */
  public byte[] readInput() {
    return read(Path.of(input), ImageFiles.maxFileBytes(maxPixels));
  }

  /**
   * Decodes {@code data} (the input's bytes, read wherever the input is), filters and encodes it;
   * touches no file.
   *
   * @throws ImageException with a message for the user when the image cannot be read or filtered
   */
  public Filtered filter(byte[] data) {
    ImageFiles.Format source = ImageFiles.formatOf(data);
    ImageFiles.Format target =
        format != null
            ? format
            : ImageFiles.Format.ofFileName(Path.of(output).getFileName().toString()).orElse(source);
    JpegCodec jpeg =
        source == ImageFiles.Format.JPEG || target == ImageFiles.Format.JPEG
            ? JpegCodec.of(codec, isolated)
            : null;
    Image image = ImageFiles.decode(data, jpeg, maxPixels);
    Image filtered = filter.apply(image);
    byte[] encoded = ImageFiles.encode(filtered, target, quality, jpeg);
    return new Filtered(
        encoded,
        new Done(
            image.width(),
            image.height(),
            image.mode(),
            data.length,
            encoded.length,
            jpeg == null ? null : jpeg.name()));
  }

  /** The file's bytes, refusing anything but a regular file of at most {@code limit} bytes. */
  static byte[] read(Path file, long limit) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new ImageException("not a regular file but " + kind(file, attributes));
      }
      if (attributes.size() > limit) {
        throw tooBig(attributes.size(), limit);
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] data = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (data.length > limit) {
          throw tooBig(data.length, limit);
        }
        return data;
      }
    } catch (IOException e) {
      throw new ImageException("cannot read: " + ImageFiles.reason(e), e);
    }
  }

  private static ImageException tooBig(long size, long limit) {
    return new ImageException(
        String.format(
            Locale.ROOT,
            "the file is %,d bytes, more than an image within the pixel limit can take (%,d);"
                + " raise --max-pixels (0 for none) if it is a real image",
            size,
            limit));
  }

  /** What a file that is not regular is, for a message. */
  static String kind(Path file, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a folder";
    }
    try {
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a named pipe (FIFO)";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | RuntimeException notUnix) {
      return "a special file";
    }
  }

  /**
   * Writes {@code encoded} to the output safely (see the class comment).
   *
   * @throws ImageException saying why nothing was written
   */
  public void write(byte[] encoded) {
    Path partial = partialFile();
    Path target = Path.of(output);
    stopIfCancelled();
    try (OutputStream out =
        Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(encoded);
    } catch (FileAlreadyExistsException e) {
      throw new ImageException(
          "cannot write "
              + output
              + ": something is already at its temporary name "
              + partial.getFileName()
              + " (planted by another user?); nothing was written");
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new ImageException("cannot write " + output + ": " + ImageFiles.reason(e), e);
    }
    try {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        BasicFileAttributes there =
            Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!there.isRegularFile()) {
          deleteQuietly(partial);
          throw new ImageException(
              "cannot write "
                  + output
                  + ": "
                  + (there.isSymbolicLink() ? "a symbolic link" : kind(target, there))
                  + " is there, and only a regular file is ever replaced");
        }
      }
      stopIfCancelled();
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new ImageException("cannot write " + output + ": " + ImageFiles.reason(e), e);
    }
  }

  /**
   * A job on a thread pool is cancelled by interrupting its thread, which decoders do not notice:
   * it must then write nothing, since its image was already reported as not written.
   */
  private void stopIfCancelled() {
    if (Thread.currentThread().isInterrupted()) {
      deleteQuietly(partialFile());
      throw new ImageException("cancelled before it was written");
    }
  }

  private static void deleteQuietly(Path partial) {
    try {
      Files.deleteIfExists(partial);
    } catch (IOException ignored) {
      // the write failed already; that is the error worth reporting
    }
  }
}
