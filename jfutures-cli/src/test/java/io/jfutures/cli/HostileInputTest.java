package io.jfutures.cli;

import static io.jfutures.cli.ImagesCommandTest.assertUsage;
import static io.jfutures.cli.ImagesCommandTest.fixture;
import static io.jfutures.cli.ImagesCommandTest.jfutures;
import static io.jfutures.cli.ImagesCommandTest.names;
import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.cli.ImagesCommandTest.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jfutures images} against hostile files and shared folders: what another local user can
 * plant, and what a file can claim. Each case is one a careful user or a reviewer tried.
 */
class HostileInputTest {
  @TempDir Path dir;

  Path copy(String fixture, String as) throws IOException {
    Path target = dir.resolve(as);
    Files.createDirectories(target.getParent());
    return Files.write(target, fixture(fixture));
  }

  Run images(String... args) {
    List<String> all = new ArrayList<>(List.of("images"));
    all.addAll(List.of(args));
    return jfutures(all.toArray(String[]::new));
  }

  /** A PNG whose header declares {@code width × height} of {@code colourType}, with real rows. */
  static byte[] png(int width, int height, int colourType, boolean withRows) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(width).putInt(height).put((byte) 8).put((byte) colourType);
    chunk(out, "IHDR", header.array());
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    try (DeflaterOutputStream zip = new DeflaterOutputStream(data, new Deflater(1))) {
      int bands = colourType == 2 ? 3 : colourType == 6 ? 4 : 1;
      byte[] row = new byte[1 + width * bands];
      for (int y = 0; y < (withRows ? height : 1); y++) {
        zip.write(row);
      }
    }
    chunk(out, "IDAT", data.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(name);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** A 333-byte-class JPEG that declares {@code width × height} and holds no image data. */
  static byte[] jpegHeader(int width, int height) {
    return new byte[] {
      (byte) 0xFF,
      (byte) 0xD8,
      (byte) 0xFF,
      (byte) 0xC0,
      0,
      17,
      8,
      (byte) (height >> 8),
      (byte) height,
      (byte) (width >> 8),
      (byte) width,
      3,
      1,
      0x11,
      0,
      2,
      0x11,
      0,
      3,
      0x11,
      0,
      (byte) 0xFF,
      (byte) 0xD9
    };
  }

  // ---- Writing into a shared output folder ----

  @ParameterizedTest
  @ValueSource(strings = {"process", "thread"})
  void aLinkPlantedAtTheOldPredictableTemporaryNameIsNeverWrittenThrough(String pool)
      throws IOException {
    copy("RGB.png", "in/photo.png");
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.createSymbolicLink(out.resolve(".photo.png.jfutures-part"), victim);

    Run run = images(dir.resolve("in").toString(), "--out", out.toString(), "--pool", pool);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(Files.isRegularFile(out.resolve("photo.png"))).isTrue();
  }

  @Test
  void aLinkOrAFolderAtTheOutputNameIsRefusedNeverReplacedOrFollowed() throws IOException {
    copy("RGB.png", "in/linked.png");
    copy("RGB.png", "in/folder.png");
    copy("RGB.png", "in/fine.png");
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.createSymbolicLink(out.resolve("linked.png"), victim);
    Files.createDirectory(out.resolve("folder.png"));

    Run run = images(dir.resolve("in").toString(), "--out", out.toString(), "--pool", "thread");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("linked.png: cannot write " + out.resolve("linked.png").toAbsolutePath())
        .contains("a symbolic link is there, and only a regular file is ever replaced")
        .contains("folder.png: cannot write")
        .contains("a folder is there");
    assertThat(run.out()).contains("Filtered 1 of 3 images").contains("2 failed");
    assertThat(Files.isSymbolicLink(out.resolve("linked.png"))).isTrue();
    assertThat(Files.readString(victim)).isEqualTo("precious");
    try (var left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no partial file stays")
          .containsExactlyInAnyOrder("linked.png", "folder.png", "fine.png");
    }
  }

  @Test
  void aLinkPlantedAmongTheMirroredOutputFoldersIsNeverFollowed() throws IOException {
    copy("RGB.png", "in/sub/deep.png");
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.createSymbolicLink(out.resolve("sub"), elsewhere);

    Run run = images(dir.resolve("in").toString(), "--recursive", "--out", out.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains(out.resolve("sub") + " is a symbolic link");
    try (var inside = Files.list(elsewhere)) {
      assertThat(inside).isEmpty();
    }
  }

  // ---- What a file can claim ----

  @Test
  void imagesDeclaringMoreThanPillowsLimitAreRefusedFromTheirHeader() throws IOException {
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/rgba-20000.png"), png(20000, 20000, 6, false));
    Files.write(dir.resolve("in/gray-30000.png"), png(30000, 30000, 0, false));
    Files.write(dir.resolve("in/tiny-46000.jpg"), jpegHeader(46000, 46000));

    Run run =
        images(
            dir.resolve("in").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--pool",
            "thread");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "rgba-20000.png: the image declares 20000x20000 pixels (400,000,000), over the"
                + " limit of 178,956,970")
        .contains("gray-30000.png: the image declares 30000x30000 pixels")
        .contains("tiny-46000.jpg: the image declares 46000x46000 pixels (2,116,000,000)")
        .contains("raise it with --max-pixels N (0 for no limit)")
        .doesNotContain("Exception")
        .doesNotContain("Error");
    assertThat(run.out()).contains("Filtered 0 of 3 images").contains("3 failed");
  }

  @Test
  void theLimitIsTheUsersToLowerRaiseOrLift() throws IOException {
    copy("tiny-4x4.png", "in/tiny.png");
    String in = dir.resolve("in").toString();

    Run lowered =
        images(in, "--out", dir.resolve("a").toString(), "--max-pixels", "15", "--pool", "thread");
    Run exact =
        images(in, "--out", dir.resolve("b").toString(), "--max-pixels", "16", "--pool", "thread");
    Run lifted =
        images(in, "--out", dir.resolve("c").toString(), "--max-pixels", "0", "--pool", "thread");

    assertThat(lowered.code()).isEqualTo(1);
    assertThat(lowered.err()).contains("declares 4x4 pixels (16), over the limit of 15");
    assertThat(exact.code()).as(exact.err()).isZero();
    assertThat(lifted.code()).as(lifted.err()).isZero();
    assertUsage(
        images(in, "--out", dir.resolve("d").toString(), "--max-pixels", "-1"),
        "--max-pixels must be 0");
  }

  @Test
  void anHonestHundredMegapixelHeaderPassesTheDefaultLimit() throws IOException {
    // The header of a 100 MP photo, without its data: refused as truncated, not as a bomb.
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/big.jpg"), jpegHeader(12000, 8400));

    Run run =
        images(
            dir.resolve("in").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--pool",
            "thread");

    assertThat(run.err()).doesNotContain("over the limit").contains("big.jpg: ");
  }

  @Test
  void aProgressiveJpegOfThousandsOfScansIsRefusedBeforeDecoding() throws IOException {
    byte[] photo = fixture("photo-progressive.jpg");
    int lastScan = -1;
    for (int i = 0; i + 1 < photo.length; i++) {
      if ((photo[i] & 0xff) == 0xFF && (photo[i + 1] & 0xff) == 0xDA) {
        lastScan = i;
      }
    }
    int end = photo.length - 2; // before EOI
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    bomb.write(photo, 0, end);
    for (int i = 0; i < 2000; i++) {
      bomb.write(photo, lastScan, end - lastScan);
    }
    bomb.write(photo, end, 2);
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/scans.jpg"), bomb.toByteArray());

    Run run =
        images(
            dir.resolve("in").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--pool",
            "thread");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("scans.jpg: the JPEG has 20")
        .contains("scans, over the limit of 500");
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void inputsThatAreNotRegularFilesAreRefusedBeforeReading() throws Exception {
    Path fifo = dir.resolve("fifo.jpg");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    copy("RGB.png", "fine.png");

    Run run =
        images(
            fifo.toString(),
            "/dev/zero",
            dir.resolve("fine.png").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--pool",
            "thread");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("fifo.jpg: not a regular file but a named pipe (FIFO)")
        .contains("/dev/zero: not a regular file but a character device");
    assertThat(run.out()).contains("Filtered 1 of 3 images");
  }

  @Test
  void aFileLargerThanAnyImageCouldBeIsRefusedBeforeReading() throws IOException {
    Path huge = dir.resolve("huge.png");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(3L << 30); // sparse: takes no disk
    }

    Run run = images(huge.toString(), "--out", dir.resolve("out").toString(), "--pool", "thread");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("huge.png: the file is 3,221,225,472 bytes, more than an image within the pixel")
        .doesNotContain("OutOfMemoryError");
  }

  @Test
  void aCmykJpegIsNamedCmykByEitherCodec() throws IOException {
    copy("cmyk.jpg", "in/cmyk.jpg");
    for (String codec : List.of("imageio", "auto")) {
      Run run =
          images(
              dir.resolve("in").toString(),
              "--out",
              dir.resolve("out-" + codec).toString(),
              "--codec",
              codec,
              "--pool",
              "thread");
      assertThat(run.err()).as(codec).contains("cmyk.jpg: CMYK JPEG images are not supported");
    }
  }

  // ---- Time ----

  @ParameterizedTest
  @ValueSource(strings = {"process", "thread"})
  void anImageThatTakesLongerThanTheTimeoutFailsAloneAndWritesNothing(String pool)
      throws IOException {
    // 169 MP of RGB: seconds of work for any machine, within the pixel limit.
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/slow.png"), png(13000, 13000, 2, true));
    copy("tiny-4x4.png", "in/quick.png");
    Path out = dir.resolve("out");

    Run run =
        images(
            dir.resolve("in").toString(),
            "--out",
            out.toString(),
            "--pool",
            pool,
            "--workers",
            "2",
            "--timeout",
            "2s");

    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("slow.png: took longer than the --timeout of 2s");
    assertThat(run.out()).contains("Filtered 1 of 2 images").contains("1 failed");
    assertThat(names(out)).containsExactly("quick.png");
  }

  @Test
  void theTimeoutReadsAsPeopleWriteIt() {
    ImagesCommand.DurationText text = new ImagesCommand.DurationText();
    assertThat(text.convert("500ms")).hasMillis(500);
    assertThat(text.convert("30s")).hasSeconds(30);
    assertThat(text.convert("5m")).hasMinutes(5);
    assertThat(text.convert("1h")).hasHours(1);
    assertThat(text.convert("90")).hasSeconds(90);
    assertThat(text.convert("PT2M")).hasMinutes(2);
    assertThat(text.convert("0")).isZero();
    assertUsage(
        images("x.png", "--out", dir.toString(), "--timeout", "soon"), "'soon' is not a duration");
  }

  // ---- Folders ----

  @Test
  void aSymbolicLinkLoopIsSkippedWithANoteAndTheRestIsTaken() throws IOException {
    copy("RGB.png", "in/a.png");
    copy("RGB.png", "in/sub/b.png");
    Files.createSymbolicLink(dir.resolve("in/sub/loop"), dir.resolve("in"));
    Files.createSymbolicLink(dir.resolve("in/again"), dir.resolve("in/sub"));
    Path out = dir.resolve("out");

    Run run =
        images(
            dir.resolve("in").toString(),
            "--recursive",
            "--out",
            out.toString(),
            "--pool",
            "thread");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).contains("jfutures: note: skipped ").contains("loop");
    assertThat(run.out()).contains("Filtered 2 of 2 images");
    assertThat(names(out)).containsExactly("a.png", "sub/b.png");
  }

  @Test
  void anOutputFolderInsideTheInputFolderIsNeverTakenAsInput() throws IOException {
    copy("RGB.png", "photos/a.png");
    copy("L.png", "photos/trip/b.png");
    String photos = dir.resolve("photos").toString();
    String out = dir.resolve("photos/processed").toString();

    Run first = images(photos, "--recursive", "--out", out, "--pool", "thread");
    Run second = images(photos, "--recursive", "--out", out, "--pool", "thread");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("Filtered 2 of 2 images");
    assertThat(names(dir.resolve("photos/processed"))).containsExactly("a.png", "trip/b.png");
  }

  @Test
  void withTheOutputFolderEqualToTheInputFolderTheCountsAddUp() throws IOException {
    copy("RGB.png", "in/a.png");
    copy("L.png", "in/b.png");
    copy("LA.png", "in/c.png");

    Run run =
        images(
            dir.resolve("in").toString(),
            "--out",
            dir.resolve("in").toString(),
            "--pool",
            "thread");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("Filtered 0 of 3 images").contains("3 failed");
  }

  // ---- Workers ----

  @Test
  void neverMoreWorkersThanImagesAndAWarningAboveTheCpus() throws IOException {
    copy("RGB.png", "in/a.png");
    copy("L.png", "in/b.png");

    Run run =
        images(
            dir.resolve("in").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--workers",
            "100000");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("(process pool, 2 workers");
    assertThat(run.err())
        .containsOnlyOnce("--workers 100000 is more than this machine's")
        .contains("unlikely to help");
  }

  // ---- Messages ----

  @Test
  void fileNamesCannotSendEscapeSequencesOrForgeLinesOnTheTerminal() throws IOException {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/evil\u001b[2J\nphoto.png"), "not an image");

    Run run =
        images(
            dir.resolve("in").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--pool",
            "thread");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("evil?[2J?photo.png: not a JPEG or PNG image")
        .doesNotContain("\u001b");
  }

  @Test
  void aFileNamedWithALeadingDashIsExplained() throws Exception {
    Files.write(dir.resolve("-photo.png"), fixture("RGB.png"));
    List<String> java =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "images");
    List<String> wrong = new ArrayList<>(java);
    wrong.addAll(List.of("-photo.png", "--out", "out", "--pool", "thread"));
    List<String> right = new ArrayList<>(java);
    right.addAll(List.of("--out", "out", "--pool", "thread", "--", "-photo.png"));

    Process refused =
        new ProcessBuilder(wrong).directory(dir.toFile()).redirectErrorStream(true).start();
    String said = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Process accepted =
        new ProcessBuilder(right).directory(dir.toFile()).redirectErrorStream(true).start();
    String done = new String(accepted.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(refused.waitFor()).as(said).isEqualTo(2);
    assertThat(said)
        .contains(
            "'-photo.png' is a file, but a name starting with '-' reads as an option: put '--' before such names");
    assertThat(accepted.waitFor()).as(done).isZero();
    assertThat(dir.resolve("out/-photo.png")).isRegularFile();
  }
}
