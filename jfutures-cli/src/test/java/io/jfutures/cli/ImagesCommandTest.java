package io.jfutures.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.cli.image.Filter;
import io.jfutures.cli.image.Image;
import io.jfutures.cli.image.ImageFiles;
import io.jfutures.cli.image.JpegCodec;
import io.jfutures.cli.image.LibJpeg;
import io.jfutures.cli.image.TurboJpeg;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code jfutures images} run in this JVM, as a user runs it, with real worker JVMs. */
class ImagesCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run jfutures(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  static byte[] fixture(String name) {
    return ImageFixtures.bytes(name);
  }

  Path copy(String fixture, String as) throws IOException {
    Path target = dir.resolve(as);
    Files.createDirectories(target.getParent());
    return Files.write(target, fixture(fixture));
  }

  static Image decode(byte[] data) {
    return ImageFiles.decode(data, JpegCodec.of(JpegCodec.Choice.AUTO, false));
  }

  static Image decode(Path file) throws IOException {
    return decode(Files.readAllBytes(file));
  }

  static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> folder.relativize(f).toString())
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"process", "thread"})
  void theArticlesJobGivesPillowsPixels(String pool) throws IOException {
    copy("photo.jpg", "in/photo.jpg");
    copy("photo-gray.jpg", "in/photo-gray.jpg");
    copy("photo-progressive.jpg", "in/photo-progressive.jpg");
    Path out = dir.resolve("processed");

    Run run =
        jfutures("images", dir.resolve("in").toString(), "--out", out.toString(), "--pool", pool);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Filtered 3 of 3 images with CONTOUR").contains("0 failed");
    if (TurboJpeg.libraryProblem() == null) {
      assertThat(run.out()).contains(" workers, libjpeg-turbo)");
    }
    assertThat(run.err()).contains("CONTOUR: 3/3 images (100%)");
    assertThat(names(out)).containsExactly("photo-gray.jpg", "photo-progressive.jpg", "photo.jpg");
    for (String name : List.of("photo", "photo-gray", "photo-progressive")) {
      assertThat(decode(out.resolve(name + ".jpg")).samples())
          .as(name)
          .isEqualTo(decode(fixture(name + "-contour.jpg")).samples());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"process", "thread"})
  void insightsFollowTheSummaryAndNameTheSlowestImages(String pool) throws IOException {
    copy("photo.jpg", "in/photo.jpg");
    copy("photo-gray.jpg", "in/photo-gray.jpg");
    Path out = dir.resolve("processed");

    Run run =
        jfutures(
            "images",
            dir.resolve("in").toString(),
            "--out",
            out.toString(),
            "--pool",
            pool,
            "--workers",
            "2",
            "--insights");

    assertThat(run.code()).as(run.err()).isZero();
    String summary = "Filtered 2 of 2 images";
    assertThat(run.out()).contains(summary, "start-up", "busy", "waiting", "idle", "restarts");
    assertThat(run.out().indexOf("slowest tasks:")).isGreaterThan(run.out().indexOf(summary));
    assertThat(run.out()).contains("photo.jpg (CONTOUR)", "photo-gray.jpg (CONTOUR)");
    if (pool.equals("process") && Files.isReadable(Path.of("/proc/self/statm"))) {
      assertThat(run.out()).as("each worker's memory as it was retired").contains(" MiB ");
    }
    assertThat(jfutures("images", dir.resolve("in").toString(), "--out", out.toString()).out())
        .as("without --insights")
        .doesNotContain("slowest tasks:");
  }

  @Test
  void everyFilterAndPngOutputMatchPillow() throws IOException {
    copy("RGBA.png", "in/RGBA.png");
    copy("LA.png", "in/LA.png");
    for (Filter filter : Filter.values()) {
      String name = filter.name().toLowerCase();
      Path out = dir.resolve("out-" + name);
      Run run =
          jfutures(
              "images",
              dir.resolve("in").toString(),
              "--out",
              out.toString(),
              "--filter",
              name.replace('_', '-'),
              "--pool",
              "thread",
              "--quiet");
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).isEmpty();
      for (String mode : List.of("RGBA", "LA")) {
        assertThat(decode(out.resolve(mode + ".png")).samples())
            .as(mode + " " + name)
            .isEqualTo(decode(fixture(mode + "-" + name + ".png")).samples());
      }
    }
  }

  @Test
  void badImagesAreReportedWhileTheOthersComplete() throws IOException {
    copy("RGB.png", "in/good.png");
    byte[] photo = fixture("photo.jpg");
    Files.write(dir.resolve("in/truncated.jpg"), Arrays.copyOf(photo, photo.length / 2));
    Files.writeString(dir.resolve("in/notes.jpg"), "not an image at all");
    Files.write(dir.resolve("in/empty.png"), new byte[0]);
    copy("palette.png", "in/palette.png");
    Path out = dir.resolve("out");

    Run run =
        jfutures(
            "images",
            dir.resolve("in").toString(),
            dir.resolve("missing.jpg").toString(),
            "--out",
            out.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("Filtered 1 of 6 images").contains("5 failed");
    assertThat(run.err())
        .contains(dir.resolve("in/truncated.jpg") + ": image file is truncated")
        .contains(dir.resolve("in/notes.jpg") + ": not a JPEG or PNG image")
        .contains(dir.resolve("in/empty.png") + ": empty file, not an image")
        .contains(dir.resolve("in/palette.png") + ": palette images (mode P) cannot be filtered")
        .contains(dir.resolve("missing.jpg") + ": no such file or directory");
    assertThat(names(out)).containsExactly("good.png");
  }

  @Test
  void alphaImagesAskedForAsJpegFailWithTheReason() throws IOException {
    copy("RGBA.png", "in/a.png");
    copy("RGB.png", "in/b.png");
    Path out = dir.resolve("out");

    Run run =
        jfutures(
            "images", dir.resolve("in").toString(), "--out", out.toString(), "--format", "jpg");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("a.png: cannot write mode RGBA as JPEG");
    assertThat(names(out)).containsExactly("b.jpg");
  }

  @Test
  void inputsAreNeverOverwritten() throws IOException {
    Path input = copy("photo.jpg", "in/photo.jpg");
    byte[] before = Files.readAllBytes(input);

    Run run =
        jfutures("images", dir.resolve("in").toString(), "--out", dir.resolve("in").toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("is an input; choose another --out or --format");
    assertThat(Files.readAllBytes(input)).isEqualTo(before);
    assertThat(names(dir.resolve("in"))).containsExactly("photo.jpg");
  }

  @Test
  void clashingOutputNamesAreRefused() throws IOException {
    copy("photo.jpg", "a/photo.jpg");
    copy("photo-gray.jpg", "b/photo.jpg");

    Run run =
        jfutures(
            "images",
            dir.resolve("a/photo.jpg").toString(),
            dir.resolve("b/photo.jpg").toString(),
            "--out",
            dir.resolve("out").toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("is also the output of " + dir.resolve("a/photo.jpg"));
    assertThat(decode(dir.resolve("out/photo.jpg")).mode()).isEqualTo(Image.Mode.RGB);
  }

  @Test
  void foldersGlobsAndRecursionMirrorTheTree() throws IOException {
    copy("photo.jpg", "in/top.jpg");
    copy("photo-gray.jpg", "in/sub/deep.jpg");
    copy("RGB.png", "in/sub/deeper/pic.png");
    Files.writeString(dir.resolve("in/readme.txt"), "skipped: not an image name");
    copy("photo.jpg", "in/.hidden.jpg");

    Run flat =
        jfutures("images", dir.resolve("in").toString(), "--out", dir.resolve("flat").toString());
    Run deep =
        jfutures(
            "images",
            dir.resolve("in").toString(),
            "--recursive",
            "--out",
            dir.resolve("deep").toString());
    Run glob =
        jfutures(
            "images",
            dir + "/in/**/*.{jpg,png}",
            "--out",
            dir.resolve("glob").toString(),
            "--format",
            "png");

    assertThat(flat.code()).as(flat.err()).isZero();
    assertThat(names(dir.resolve("flat"))).containsExactly("top.jpg");
    assertThat(deep.code()).as(deep.err()).isZero();
    assertThat(names(dir.resolve("deep")))
        .containsExactly("sub/deep.jpg", "sub/deeper/pic.png", "top.jpg");
    assertThat(glob.code()).as(glob.err()).isZero();
    assertThat(names(dir.resolve("glob"))).containsExactly("sub/deep.png", "sub/deeper/pic.png");
  }

  @Test
  void aFolderWithoutImagesSaysSo() throws IOException {
    Files.createDirectories(dir.resolve("empty/sub"));
    copy("photo.jpg", "empty/sub/photo.jpg");

    Run run =
        jfutures("images", dir.resolve("empty").toString(), "--out", dir.resolve("out").toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("no .jpg, .jpeg or .png files in this folder (add --recursive");
  }

  @Test
  void thePureJavaCodecGivesTheSamePixels() throws IOException {
    copy("photo.jpg", "in/photo.jpg");
    Path out = dir.resolve("out");

    Run run =
        jfutures(
            "images", dir.resolve("in").toString(), "--out", out.toString(), "--codec", "imageio");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("ImageIO");
    assertThat(decode(out.resolve("photo.jpg")).samples())
        .isEqualTo(decode(fixture("photo-contour.jpg")).samples());
  }

  /**
   * A fresh machine: without libturbojpeg (here: told to load a library that does not exist) a
   * process pool's workers take libjpeg-turbo's classic API, which Debian's Java brings, and a
   * thread pool, which must not use it, takes ImageIO; without either library both take ImageIO and
   * say how to get the speed. The pixels are Pillow's throughout. In a JVM of its own, since a JVM
   * looks the libraries up once.
   */
  @ParameterizedTest(name = "{0} pool, libjpeg.so.62 there: {1}")
  @CsvSource({"process, true", "thread, true", "process, false", "thread, false"})
  void withoutLibturbojpegTheClassicLibraryOrTheJdksCodecTakesOver(String pool, boolean classic)
      throws Exception {
    if (classic) {
      ImageFixtures.assumeLibjpeg();
    }
    copy("photo.jpg", "in/photo.jpg");
    Path out = dir.resolve("out");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + TurboJpeg.LIBRARY_PROPERTY + "=libjfutures-no-such-library.so",
                "-D"
                    + LibJpeg.LIBRARY_PROPERTY
                    + "="
                    + (classic ? "libjpeg.so.62" : "libjfutures-no-such-libjpeg.so"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "images",
                dir.resolve("in").toString(),
                "--out",
                out.toString(),
                "--pool",
                pool,
                "--workers",
                "2")
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(dir.resolve("err.txt"));

    assertThat(process.exitValue()).as(stderr).isZero();
    // One image: one worker, whatever --workers says.
    if (classic && pool.equals("process")) {
      assertThat(stdout).contains("Filtered 1 of 1 images").contains("1 workers, libjpeg)");
      assertThat(stderr).doesNotContain("slower codec");
    } else {
      assertThat(stdout).contains("Filtered 1 of 1 images").contains("1 workers, ImageIO)");
      assertThat(stderr)
          .contains("libturbojpeg not found (looked for libjfutures-no-such-library.so)")
          .contains("apt-get install libturbojpeg0")
          .contains("JPEGs went through the JDK's slower codec");
      if (pool.equals("process")) {
        assertThat(stderr)
            .contains("libjpeg not found (looked for libjfutures-no-such-libjpeg.so)");
      }
    }
    assertThat(decode(out.resolve("photo.jpg")).samples())
        .isEqualTo(decode(fixture("photo-contour.jpg")).samples());
  }

  /** The classic library writes the very bytes libturbojpeg writes, for every sample photo. */
  @Test
  void theClassicLibraryWritesTheSameFilesAsLibturbojpeg() throws IOException {
    ImageFixtures.assumeLibturbojpeg();
    ImageFixtures.assumeLibjpeg();
    Path in = ImageFixtures.samplePhotos();
    Run classic =
        jfutures(
            "images", in.toString(), "--out", dir.resolve("a").toString(), "--codec", "libjpeg");
    Run turbo =
        jfutures(
            "images", in.toString(), "--out", dir.resolve("b").toString(), "--codec", "turbojpeg");

    assertThat(classic.code()).as(classic.err()).isZero();
    assertThat(turbo.code()).as(turbo.err()).isZero();
    assertThat(classic.out()).contains(" workers, libjpeg)");
    List<String> names = names(dir.resolve("a"));
    assertThat(names).hasSizeGreaterThan(5).isEqualTo(names(dir.resolve("b")));
    for (String name : names) {
      assertThat(Files.readAllBytes(dir.resolve("a").resolve(name)))
          .as(name)
          .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(name)));
    }
  }

  @Test
  void theClassicLibraryIsRefusedOnAThreadPool() {
    String in = dir.toString();
    assertUsage(
        jfutures("images", in, "--out", in + "/o", "--codec", "libjpeg", "--pool", "thread"),
        "--codec libjpeg: the libjpeg codec needs --pool process");
  }

  @Test
  void badUsageExitsWithTwoAndSaysWhatWasWrong() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    String in = dir.toString();

    assertUsage(jfutures("images", in), "Missing required option: '--out=DIR'");
    assertUsage(jfutures("images", "--out", in), "Missing required parameter: 'INPUT'");
    assertUsage(
        jfutures("images", in, "--out", in + "/o", "--filter", "sepia"), "unknown filter 'sepia'");
    assertUsage(
        jfutures("images", in, "--out", in + "/o", "--quality", "0"),
        "--quality must be between 1 and 100");
    assertUsage(
        jfutures("images", in, "--out", in + "/o", "--workers", "0"),
        "--workers must be at least 1");
    assertUsage(jfutures("images", in, "--out", in + "/o", "--pool", "gpu"), "--pool");
    assertUsage(jfutures("images", in, "--out", file.toString()), "is a file, not a folder");
    assertUsage(
        jfutures("images", in, "--out", in + "/o", "--frobnicate"),
        "Unknown option: '--frobnicate'");
    assertUsage(jfutures("paint"), "Unmatched argument at index 0: 'paint'");
    assertUsage(jfutures(), "a command is required");
  }

  static void assertUsage(Run run, String message) {
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  @Test
  void helpIsEverywhere() {
    for (String[] args :
        new String[][] {
          {"--help"}, {"images", "--help"}, {"bench", "--help"}, {"help", "images"}
        }) {
      Run run = jfutures(args);
      assertThat(run.code()).isZero();
      assertThat(run.out()).contains("Usage: jfutures");
    }
    assertThat(jfutures("images", "--help").out()).contains("--filter=NAME", "Exit codes");
  }
}
