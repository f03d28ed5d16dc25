package io.jfutures.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfutures.cli.image.LibJpeg;
import io.jfutures.cli.image.TurboJpeg;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The test images under {@code src/test/resources/pillow}, made by Pillow, with its outputs. */
public final class ImageFixtures {
  private ImageFixtures() {}

  /**
   * Skips the test unless the system has libturbojpeg; fails it where CI runs, which installs it.
   */
  public static void assumeLibturbojpeg() {
    assumeLibrary("libturbojpeg", TurboJpeg.libraryProblem());
  }

  /**
   * Skips the test unless the system has libjpeg-turbo's {@code libjpeg.so.62}; fails it where CI
   * runs, since Debian's Java depends on it.
   */
  public static void assumeLibjpeg() {
    assumeLibrary("libjpeg.so.62", LibJpeg.libraryProblem());
  }

  private static void assumeLibrary(String name, String problem) {
    if (System.getenv("CI") != null) {
      assertThat(problem).as("CI has %s", name).isNull();
    }
    assumeTrue(problem == null, problem);
  }

  /** The repository's {@code samples/photos}: eight real photographs. */
  public static Path samplePhotos() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("samples/photos"))) {
        return p.resolve("samples/photos");
      }
    }
    throw new IllegalStateException("no samples/photos above " + here);
  }

  /** The bytes of fixture {@code name}. */
  public static byte[] bytes(String name) {
    try (InputStream in = ImageFixtures.class.getResourceAsStream("/pillow/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
