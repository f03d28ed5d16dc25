package io.jfutures.cli.image;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jfutures.cli.ImageFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link JpegSyntax} lets real files through and refuses, with words, each thing libjpeg-turbo
 * would stop on fatally. Each case edits a real file where libjpeg's check would bite; {@code
 * ImageFuzzTest} then checks that no fatal error gets past it.
 */
class JpegSyntaxTest {

  static byte[] photo(String name) {
    return ImageFixtures.bytes(name).clone();
  }

  /** The index of the 0xFF of the first {@code marker} in the file's headers. */
  static int at(byte[] jpeg, int marker) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
        return i;
      }
    }
    throw new IllegalArgumentException(String.format("no marker 0x%02X", marker));
  }

  static byte[] edited(String name, Consumer<byte[]> edit) {
    byte[] jpeg = photo(name);
    edit.accept(jpeg);
    return jpeg;
  }

  static void assertRefused(byte[] jpeg, String message) {
    assertThatThrownBy(() -> JpegSyntax.check(jpeg))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void realFilesPass() throws Exception {
    for (String name : new String[] {"photo.jpg", "photo-progressive.jpg", "photo-gray.jpg"}) {
      assertThatCode(() -> JpegSyntax.check(photo(name))).as(name).doesNotThrowAnyException();
    }
    try (Stream<Path> photos = Files.list(ImageFixtures.samplePhotos())) {
      for (Path photo : photos.filter(p -> p.toString().endsWith(".jpg")).toList()) {
        byte[] data = Files.readAllBytes(photo);
        assertThatCode(() -> JpegSyntax.check(data)).as("%s", photo).doesNotThrowAnyException();
      }
    }
  }

  @Test
  void aFileCutInItsImageDataIsLeftToTheDecodersTruncationWarning() {
    byte[] photo = photo("photo-progressive.jpg");
    assertThatCode(() -> JpegSyntax.check(Arrays.copyOf(photo, 1000))).doesNotThrowAnyException();
  }

  @Test
  void framesLibjpegCannotDecode() {
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xC0) + 1] = (byte) 0xC3), "unsupported JPEG process");
    assertRefused(edited("photo.jpg", j -> j[at(j, 0xC0) + 4] = 12), "12-bit JPEG images");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xC0) + 7] = j[at(j, 0xC0) + 8] = 0), "an empty image");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xC0) + 11] = 0x51), "sampling factors 5x1 (1 to 4");
    assertRefused(
        edited(
            "photo.jpg",
            j -> {
              j[at(j, 0xC0) + 11] = 0x32;
              j[at(j, 0xC0) + 14] = 0x22;
            }),
        "a fractional ratio");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xC0) + 12] = 3),
        "quantization table 3 is used but never defined");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xC4) + 1] = (byte) 0xC0), "a second frame header");
  }

  @Test
  void huffmanTablesLibjpegWouldReject() {
    // The first DHT (DC table 0): 17 bytes of class, index and counts, then its symbols.
    assertRefused(edited("photo.jpg", j -> j[at(j, 0xC4) + 4] = 0x05), "Huffman table index 0x05");
    assertRefused(
        edited(
            "photo.jpg",
            j -> {
              // two codes of length 1 (all of them, leaving none to be a prefix): 2 moved from 3
              j[at(j, 0xC4) + 5] = 2;
              j[at(j, 0xC4) + 7] -= 2;
            }),
        "codes do not fit their lengths");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xC4) + 5 + 16] = 16),
        "a DC Huffman table with symbol 16");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xDA) + 6] = 0x22),
        "DC Huffman table 2 is used but never defined");
  }

  @Test
  void scansLibjpegWouldReject() {
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xDA) + 5] = 9),
        "a scan names component 9, which the frame does not have");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xDA) + 7] = j[at(j, 0xDA) + 5]), "twice in one scan");
    assertRefused(
        edited("photo-progressive.jpg", j -> j[at(j, 0xDA) + 12] = 5),
        "invalid progressive parameters Ss=0 Se=5");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xC0) + 1] = (byte) 0xE1), "a scan before the frame");
    byte[] twice = photo("photo.jpg");
    int sos = at(twice, 0xDA);
    int eoi = twice.length - 2;
    byte[] withSecondScan = new byte[twice.length + (eoi - sos)];
    System.arraycopy(twice, 0, withSecondScan, 0, eoi);
    System.arraycopy(twice, sos, withSecondScan, eoi, twice.length - sos);
    assertRefused(withSecondScan, "a second scan in a JPEG whose first scan held every component");
  }

  @Test
  void markersAndLengthsLibjpegWouldReject() {
    assertRefused(new byte[] {'J', 'P'}, "does not start with a JPEG start-of-image");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xFE) + 1] = (byte) 0xD8), "a second start-of-image");
    assertRefused(edited("photo.jpg", j -> j[at(j, 0xFE) + 1] = 0x02), "unknown marker 0x02");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xFE) + 2] = j[at(j, 0xFE) + 3] = 0),
        "declares a length of 0");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xDB) + 4] = 0x04), "quantization table index 4");
    assertRefused(Arrays.copyOf(photo("photo.jpg"), 200), "image file is truncated");
    assertRefused(
        edited("photo.jpg", j -> j[at(j, 0xDA) + 1] = (byte) 0xD9), "before any image data");
  }
}
