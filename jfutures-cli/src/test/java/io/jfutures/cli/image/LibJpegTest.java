package io.jfutures.cli.image;

import static io.jfutures.cli.image.PillowFidelityTest.assertSamePixels;
import static io.jfutures.cli.image.PillowFidelityTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jfutures.cli.ImageFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libjpeg-turbo's classic API gives Pillow's pixels and TurboJPEG's bytes, and {@link JpegSyntax}
 * refuses, in Java, what would stop it fatally. Only valid or merely truncated files are decoded
 * here, in the test's own JVM; a fatal error, which ends the process, is tested in a worker by
 * {@code LibJpegWorkerTest}.
 */
class LibJpegTest {
  private static final String[] PHOTOS = {"photo", "photo-progressive", "photo-gray"};

  /** The classic library, required where CI runs (Debian's Java depends on it), else skipped. */
  static LibJpeg libjpeg() {
    ImageFixtures.assumeLibjpeg();
    assertThat(LibJpeg.instance()).as("%s", LibJpeg.unavailableReason()).isPresent();
    return LibJpeg.instance().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"photo", "photo-progressive", "photo-gray"})
  void decodesPillowsPixels(String name) {
    assertSamePixels(
        libjpeg().decode(fixture(name + ".jpg")), PillowFidelityTest.png(name + ".decoded.png"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 50, 75, 95, 100})
  void writesTheSameBytesAsTurboJpeg(int quality) {
    JpegCodec turbo = PillowFidelityTest.turbo();
    for (String photo : PHOTOS) {
      Image filtered = Filter.CONTOUR.apply(turbo.decode(fixture(photo + ".jpg")));
      assertThat(libjpeg().encode(filtered, quality))
          .as("%s at quality %d", photo, quality)
          .isEqualTo(turbo.encode(filtered, quality));
    }
  }

  @Test
  void decodesEverySamplePhotoAsTurboJpegDoes() throws Exception {
    JpegCodec turbo = PillowFidelityTest.turbo();
    try (Stream<Path> photos = Files.list(ImageFixtures.samplePhotos())) {
      for (Path photo : photos.filter(p -> p.toString().endsWith(".jpg")).toList()) {
        byte[] data = Files.readAllBytes(photo);
        assertSamePixels(libjpeg().decode(data), turbo.decode(data));
      }
    }
  }

  @Test
  void aTruncatedFileIsRefusedAsTheOtherCodecsRefuseIt() {
    byte[] photo = fixture("photo-progressive.jpg");
    byte[] cut = Arrays.copyOf(photo, photo.length * 2 / 3);
    assertThatThrownBy(() -> libjpeg().decode(cut))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining(ImageFiles.TRUNCATED_MESSAGE);
  }

  @Test
  void cmykIsRefusedWithTheSameMessage() {
    assertThatThrownBy(() -> libjpeg().decode(fixture("cmyk.jpg")))
        .isInstanceOf(ImageException.class)
        .hasMessage(ImageFiles.CMYK_MESSAGE);
  }

  @Test
  void alphaCannotBeWritten() {
    Image image = new Image(2, 2, Image.Mode.RGBA, new byte[16]);
    assertThatThrownBy(() -> libjpeg().encode(image, 75))
        .hasMessageContaining("cannot write mode RGBA as JPEG");
  }

  @Test
  void isRefusedOutsideAnIsolatedProcess() {
    assertThatThrownBy(() -> JpegCodec.of(JpegCodec.Choice.LIBJPEG, false))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining("needs --pool process");
    assertThat(JpegCodec.of(JpegCodec.Choice.AUTO, false)).isNotInstanceOf(LibJpeg.class);
  }
}
