package io.jfutures.cli.image;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * One image to read, filter and write: the unit of work that travels to a worker, so it holds only
 * names and settings. Decoding, filtering and encoding all happen in {@link #run()}, in the worker.
 *
 * <p>The output is written under {@link #partialFile()} and then renamed over {@code output}, so a
 * reader never sees a half-written image and an interrupted run leaves at most the partial file,
 * which the caller removes.
 *
 * @param format the format to write; null to decide as Pillow's {@code save} does: by the output's
 *     extension, else the input's own format
 */
public record ImageJob(
    String input,
    String output,
    Filter filter,
    ImageFiles.Format format,
    int quality,
    JpegCodec.Choice codec)
    implements Serializable {

  public ImageJob {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(codec, "codec");
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

  /** Where the output is written before it is renamed into place. */
  public Path partialFile() {
    Path out = Path.of(output);
    return out.resolveSibling("." + out.getFileName() + ".jfutures-part");
  }

  /**
   * Reads, filters and writes the image.
   *
   * @throws ImageException with a message for the user when the image cannot be read, filtered or
   *     written
   */
  public Done run() {
    byte[] data;
    try {
      data = Files.readAllBytes(Path.of(input));
    } catch (IOException e) {
      throw new ImageException("cannot read: " + reason(e), e);
    }
    ImageFiles.Format source = ImageFiles.formatOf(data);
    ImageFiles.Format target =
        format != null
            ? format
            : ImageFiles.Format.ofFileName(Path.of(output).getFileName().toString()).orElse(source);
    JpegCodec jpeg =
        source == ImageFiles.Format.JPEG || target == ImageFiles.Format.JPEG
            ? JpegCodec.of(codec)
            : null;
    Image image = ImageFiles.decode(data, jpeg);
    Image filtered = filter.apply(image);
    byte[] encoded = ImageFiles.encode(filtered, target, quality, jpeg);
    Path partial = partialFile();
    try {
      Files.write(partial, encoded);
      Files.move(
          partial,
          Path.of(output),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // the write failed already; that is the error worth reporting
      }
      throw new ImageException("cannot write " + output + ": " + reason(e), e);
    }
    return new Done(
        image.width(),
        image.height(),
        image.mode(),
        data.length,
        encoded.length,
        jpeg == null ? null : jpeg.name());
  }

  private static String reason(IOException e) {
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
}
