package io.jfutures.cli.image;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jfutures.ProcessPool;
import io.jfutures.Task;
import io.jfutures.WorkerCrashedException;
import io.jfutures.cli.ImageFixtures;
import io.jfutures.testing.Mutator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  static List<byte[]> seeds() {
    return List.of(
        fixture("photo.jpg"),
        fixture("photo-progressive.jpg"),
        fixture("photo-gray.jpg"),
        fixture("cmyk.jpg"),
        fixture("RGB.png"),
        fixture("RGBA.png"),
        fixture("LA.png"),
        fixture("L.png"),
        fixture("tiny-5x5.png"));
  }

  static void fuzz(JpegCodec codec, long seed, Duration budget) {
    List<byte[]> seeds = seeds();
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

  /**
   * The classic library's fatal errors end the process, so it is fuzzed in a worker, which writes
   * each input to {@code last} before decoding it: a crash names the library's message and leaves
   * the input that caused it.
   */
  record LibJpegFuzz(long seed, Duration budget, String last) implements Task<Integer> {
    @Override
    public Integer call() {
      JpegCodec codec = JpegCodec.of(JpegCodec.Choice.LIBJPEG, true);
      return Mutator.fuzz(
          seed,
          seeds(),
          budget,
          input -> {
            Files.write(Path.of(last), input);
            try {
              ImageFiles.decode(input, codec, MAX_PIXELS);
            } catch (ImageException e) {
              assertThat(e.getMessage()).isNotBlank().doesNotContainPattern(CLASS_NAME);
            }
          });
    }
  }

  static void fuzzLibjpeg(long seed, Duration budget, Path dir) throws Exception {
    ImageFixtures.assumeLibjpeg();
    Path last = dir.resolve("last-input.bin");
    try (ProcessPool pool =
        ProcessPool.builder()
            .maxWorkers(1)
            .jvmOptions("--enable-native-access=ALL-UNNAMED")
            .build()) {
      int rounds;
      try {
        rounds = pool.submit(new LibJpegFuzz(seed, budget, last.toString())).result();
      } catch (WorkerCrashedException e) {
        Path kept =
            Files.copy(last, Path.of("target", "libjpeg-fatal-" + seed + ".jpg"), REPLACE_EXISTING);
        throw new AssertionError(
            "libjpeg stopped fatally on an input JpegSyntax let through (kept as "
                + kept.toAbsolutePath()
                + "): "
                + e.getMessage(),
            e);
      }
      assertThat(rounds).isPositive();
      System.out.println("fuzzed libjpeg in a worker: " + rounds + " inputs, seed " + seed);
    }
  }

  @Test
  void corruptFilesThroughTheClassicLibraryNeverReachItsFatalErrors(@TempDir Path dir)
      throws Exception {
    fuzzLibjpeg(1202L, Duration.ofSeconds(8), dir);
  }

  @Test
  @Tag("soak")
  void corruptFilesThroughTheClassicLibraryForMinutes(@TempDir Path dir) throws Exception {
    fuzzLibjpeg(System.nanoTime(), Duration.ofMinutes(2), dir);
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
