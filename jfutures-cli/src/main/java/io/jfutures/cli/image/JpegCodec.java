package io.jfutures.cli.image;

/**
 * Reads and writes JPEG as Pillow does: grayscale files as {@link Image.Mode#L}, colour files as
 * {@link Image.Mode#RGB}; written with the standard tables scaled to {@code quality}, 4:2:0 chroma
 * subsampling for colour, the accurate integer DCT, baseline.
 *
 * <p>Two implementations: {@link TurboJpeg} (the system's libjpeg-turbo, which Pillow also uses, so
 * its pixels are Pillow's) and {@link ImageIoJpeg} (the JDK's own codec: no native library needed,
 * several times slower, and it applies embedded ICC profiles, so those files' pixels can differ).
 */
public sealed interface JpegCodec permits TurboJpeg, ImageIoJpeg {

  /** Which codec to use; {@link #AUTO} takes libjpeg-turbo when the system has it. */
  enum Choice {
    AUTO,
    TURBOJPEG,
    IMAGEIO
  }

  Image decode(byte[] jpeg);

  byte[] encode(Image image, int quality);

  /** A short name for messages: {@code libjpeg-turbo} or {@code ImageIO}. */
  String name();

  /**
   * The codec for {@code choice} in this JVM.
   *
   * @throws ImageException if libjpeg-turbo is asked for and cannot be loaded
   */
  static JpegCodec of(Choice choice) {
    return switch (choice) {
      case IMAGEIO -> ImageIoJpeg.INSTANCE;
      case TURBOJPEG ->
          TurboJpeg.instance().orElseThrow(() -> new ImageException(TurboJpeg.unavailableReason()));
      case AUTO -> TurboJpeg.instance().<JpegCodec>map(t -> t).orElse(ImageIoJpeg.INSTANCE);
    };
  }
}
