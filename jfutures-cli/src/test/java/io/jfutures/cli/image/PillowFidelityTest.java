package io.jfutures.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfutures.cli.ImageFixtures;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holds the filters and codecs to Pillow's own output: the fixtures in {@code
 * src/test/resources/pillow} were made by Debian's Pillow with {@code make_fixtures.py}, which sits
 * beside them.
 */
class PillowFidelityTest {

  static byte[] fixture(String name) {
    return ImageFixtures.bytes(name);
  }

  static Image png(String name) {
    return ImageFiles.decode(fixture(name), ImageIoJpeg.INSTANCE);
  }

  /** libjpeg-turbo, required where CI installs it, else the test is skipped. */
  static JpegCodec turbo() {
    if (System.getenv("CI") != null) {
      assertThat(TurboJpeg.instance())
          .as("CI installs libturbojpeg: %s", TurboJpeg.unavailableReason())
          .isPresent();
    }
    assumeTrue(TurboJpeg.instance().isPresent(), TurboJpeg::unavailableReason);
    return TurboJpeg.instance().orElseThrow();
  }

  static JpegCodec codec(String name) {
    return name.equals("turbojpeg") ? turbo() : ImageIoJpeg.INSTANCE;
  }

  static Stream<Arguments> modesAndFilters() {
    return Stream.of("L", "LA", "RGB", "RGBA")
        .flatMap(mode -> Arrays.stream(Filter.values()).map(f -> Arguments.of(mode, f)));
  }

  static void assertSamePixels(Image actual, Image expected) {
    assertThat(actual.mode()).isEqualTo(expected.mode());
    assertThat(actual.width()).isEqualTo(expected.width());
    assertThat(actual.height()).isEqualTo(expected.height());
    byte[] a = actual.samples();
    byte[] e = expected.samples();
    int mismatch = Arrays.mismatch(a, e);
    if (mismatch >= 0) {
      int pixel = mismatch / actual.mode().bands();
      throw new AssertionError(
          String.format(
              "first difference at x=%d y=%d band %d: %d, Pillow has %d",
              pixel % actual.width(),
              pixel / actual.width(),
              mismatch % actual.mode().bands(),
              a[mismatch] & 0xff,
              e[mismatch] & 0xff));
    }
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("modesAndFilters")
  void filterMatchesPillowByteForByte(String mode, Filter filter) {
    Image input = png(mode + ".png");
    Image expected = png(mode + "-" + filter.name().toLowerCase(Locale.ROOT) + ".png");
    assertThat(input.mode().name()).isEqualTo(mode);

    assertSamePixels(filter.apply(input), expected);
    assertSamePixels(filter.apply(input, false), expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"3x3", "4x4", "5x5", "6x2"})
  void smallImagesFollowPillowsRule(String size) {
    Image input = png("tiny-" + size + ".png");
    for (Filter filter : new Filter[] {Filter.BLUR, Filter.CONTOUR}) {
      Image expected = png("tiny-" + size + "-" + filter.name().toLowerCase(Locale.ROOT) + ".png");
      assertSamePixels(filter.apply(input), expected);
    }
  }

  @Test
  void filteringLeavesTheInputAlone() {
    Image input = png("RGB.png");
    byte[] before = input.samples().clone();
    Filter.CONTOUR.apply(input);
    assertThat(input.samples()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"photo", "photo-progressive", "photo-gray"})
  void libjpegTurboDecodesPillowsPixels(String name) {
    assertSamePixels(turbo().decode(fixture(name + ".jpg")), png(name + ".decoded.png"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"photo", "photo-progressive", "photo-gray"})
  void imageIoDecodesPillowsPixels(String name) {
    assertSamePixels(
        ImageIoJpeg.INSTANCE.decode(fixture(name + ".jpg")), png(name + ".decoded.png"));
  }

  static Stream<Arguments> codecsAndPhotos() {
    return Stream.of("turbojpeg", "imageio")
        .flatMap(
            codec ->
                Stream.of("photo", "photo-progressive", "photo-gray")
                    .map(photo -> Arguments.of(codec, photo)));
  }

  /** The article's program: open, CONTOUR, save with Pillow's defaults (quality 75). */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("codecsAndPhotos")
  void contourSavedAsJpegMatchesPillowsFile(String codecName, String photo) {
    JpegCodec codec = codec(codecName);
    Image filtered = Filter.CONTOUR.apply(codec.decode(fixture(photo + ".jpg")));
    byte[] ours = codec.encode(filtered, 75);
    byte[] pillows = fixture(photo + "-contour.jpg");

    assertSamePixels(codec.decode(ours), codec.decode(pillows));
  }

  @Test
  void paletteImagesAreRefusedAsPillowRefusesThem() {
    assertThatThrownBy(() -> ImageFiles.decode(fixture("palette.png"), ImageIoJpeg.INSTANCE))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining("palette images (mode P) cannot be filtered");
  }

  @Test
  void sixteenBitImagesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> ImageFiles.decode(fixture("gray16.png"), ImageIoJpeg.INSTANCE))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining("16-bit PNG images are not supported");
  }

  @ParameterizedTest
  @EnumSource(
      value = Image.Mode.class,
      names = {"LA", "RGBA"})
  void alphaCannotBeSavedAsJpeg(Image.Mode mode) {
    Image image = new Image(2, 2, mode, new byte[4 * mode.bands()]);
    assertThatThrownBy(() -> ImageIoJpeg.INSTANCE.encode(image, 75))
        .hasMessageContaining("cannot write mode " + mode + " as JPEG");
  }
}
