package io.jfutures.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jfutures.cli.ImageFixtures;
import io.jfutures.testing.Mutator;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image readers fed mutated JPEG and PNG files (headers and bodies, from Pillow's fixtures and
 * a crop of a sample photo): each input decodes or fails with an {@link ImageException} whose
 * message says what is wrong in words, never with another exception, within a pixel limit that
 * bounds what a lying header can make them allocate.
 */
class ImageFuzzTest {
  /** Four times the largest seed: mutated sizes above it are refused from the header. */
  private static final long MAX_PIXELS = 4L * 161 * 121;

  /** What a message must not contain: a Java class name or the word for one. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("java\\.|javax\\.|sun\\.|Exception|Error\\b");

  static byte[] fixture(String name) {
    return ImageFixtures.bytes(name);
  }

  static void fuzz(JpegCodec codec, long seed, Duration budget) {
    List<byte[]> seeds =
        List.of(
            fixture("photo.jpg"),
            fixture("photo-progressive.jpg"),
            fixture("photo-gray.jpg"),
            fixture("cmyk.jpg"),
            fixture("RGB.png"),
            fixture("RGBA.png"),
            fixture("LA.png"),
            fixture("L.png"),
            fixture("tiny-5x5.png"));
    int rounds =
        assertTimeoutPreemptively(
            budget.plusMinutes(2),
            () ->
                Mutator.fuzz(
                    seed,
                    seeds,
                    budget,
                    input -> {
                      try {
                        ImageFiles.decode(input, codec, MAX_PIXELS);
                      } catch (ImageException e) {
                        assertThat(e.getMessage()).isNotBlank().doesNotContainPattern(CLASS_NAME);
                      }
                    }));
    assertThat(rounds).isPositive();
    System.out.println("fuzzed " + codec.name() + ": " + rounds + " inputs, seed " + seed);
  }

  static JpegCodec turbo() {
    return TurboJpeg.instance().orElse(null);
  }

  @Test
  void corruptFilesThroughTheJdksCodecsFailWithTheToolsOwnWords() {
    fuzz(ImageIoJpeg.INSTANCE, 20261202L, Duration.ofSeconds(8));
  }

  @Test
  void corruptFilesThroughLibjpegTurboFailWithTheToolsOwnWords() {
    JpegCodec codec = turbo();
    if (codec == null) {
      // Without the library the JDK's codec runs instead; CI installs it.
      codec = ImageIoJpeg.INSTANCE;
    }
    fuzz(codec, 4711L, Duration.ofSeconds(8));
  }

  @Test
  @Tag("soak")
  void corruptFilesForMinutes() {
    fuzz(ImageIoJpeg.INSTANCE, System.nanoTime(), Duration.ofMinutes(2));
    if (turbo() != null) {
      fuzz(turbo(), System.nanoTime(), Duration.ofMinutes(2));
    }
  }
}
