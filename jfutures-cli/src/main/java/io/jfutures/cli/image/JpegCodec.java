package io.jfutures.cli.image;

/**
 * Reads and writes JPEG as Pillow does: grayscale files as {@link Image.Mode#L}, colour files as
 * {@link Image.Mode#RGB}; written with the standard tables scaled to {@code quality}, 4:2:0 chroma
 * subsampling for colour, the accurate integer DCT, baseline.
 *
 * <p>Three implementations: {@link TurboJpeg} (the system's libjpeg-turbo through its TurboJPEG
 * API, which Pillow's library is, so its pixels are Pillow's), {@link LibJpeg} (the same library
 * through its classic API, {@code libjpeg.so.62}, which is on more machines but whose fatal errors
 * end the process, so only a process of its own may use it) and {@link ImageIoJpeg} (the JDK's own
 * codec: no native library needed, several times slower, and it applies embedded ICC profiles, so
 * those files' pixels can differ).
 */
public sealed interface JpegCodec permits TurboJpeg, LibJpeg, ImageIoJpeg {

  /**
   * Which codec to use; {@link #AUTO} takes the fastest this JVM may use: libjpeg-turbo's TurboJPEG
   * API, else (in an isolated process) its classic API, else ImageIO.
   */
  enum Choice {
    AUTO,
    TURBOJPEG,
    LIBJPEG,
    IMAGEIO
  }

  Image decode(byte[] jpeg);

  byte[] encode(Image image, int quality);

  /** A short name for messages: {@code libjpeg-turbo} or {@code ImageIO}. */
  String name();

  /**
   * The codec for {@code choice} in this JVM.
   *
   * @param isolated whether this JVM is a process pool's worker, whose end fails only the image it
   *     was decoding: only then may {@link LibJpeg} be used
   * @throws ImageException if a native codec is asked for and cannot be loaded, or {@link
   *     Choice#LIBJPEG} outside an isolated process
   */
  static JpegCodec of(Choice choice, boolean isolated) {
    return switch (choice) {
      case IMAGEIO -> ImageIoJpeg.INSTANCE;
      case TURBOJPEG ->
          TurboJpeg.instance().orElseThrow(() -> new ImageException(TurboJpeg.unavailableReason()));
      case LIBJPEG -> {
        if (!isolated) {
          throw new ImageException(LIBJPEG_NEEDS_PROCESS);
        }
        yield LibJpeg.instance().orElseThrow(() -> new ImageException(LibJpeg.unavailableReason()));
      }
      case AUTO -> {
        if (TurboJpeg.instance().isPresent()) {
          yield TurboJpeg.instance().get();
        }
        if (isolated && LibJpeg.instance().isPresent()) {
          yield LibJpeg.instance().get();
        }
        yield ImageIoJpeg.INSTANCE;
      }
    };
  }

  /** Why {@link Choice#LIBJPEG} is refused outside a process pool's worker. */
  String LIBJPEG_NEEDS_PROCESS =
      "the libjpeg codec needs --pool process: a fatal libjpeg error ends the process it runs in,"
          + " which must be a worker of its own";
}
