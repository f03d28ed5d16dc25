package io.jfutures.cli;

import static io.jfutures.cli.ImagesCommandTest.assertUsage;
import static io.jfutures.cli.ImagesCommandTest.jfutures;
import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.cli.ClusterCommandTest.Member;
import io.jfutures.cli.ImagesCommandTest.Run;
import io.jfutures.testing.Ports;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jfutures images --cluster}: real member JVMs started as {@code jfutures cluster member},
 * whose class path holds no test class; the command reads and writes the files here.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterImagesTest {
  @TempDir Path dir;

  private final String clusterName = "images-test-" + UUID.randomUUID();
  private final List<Member> members = new ArrayList<>();
  private List<String> addresses;

  /** Starts {@code n} members that form one cluster, and waits until each has started. */
  private void startCluster(int n) throws IOException {
    int base = Ports.freeRun(n);
    addresses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      addresses.add("127.0.0.1:" + (base + i));
    }
    for (int i = 0; i < n; i++) {
      members.add(ClusterCommandTest.startMember(false, clusterName, base + i, addresses));
    }
    for (Member member : members) {
      member.readUpTo("Stop it with Ctrl-C.");
    }
  }

  @AfterEach
  void stopMembers() throws IOException {
    for (Member member : members) {
      member.close();
    }
  }

  private List<String> clusterOptions() {
    return List.of("--cluster", String.join(",", addresses), "--cluster-name", clusterName);
  }

  private Run images(Path in, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("images", in.toString(), "--out", out.toString()));
    args.addAll(List.of(more));
    return jfutures(args.toArray(String[]::new));
  }

  private Path copies(String name, Path photo, int n) throws IOException {
    Path in = Files.createDirectories(dir.resolve(name));
    for (int i = 0; i < n; i++) {
      Files.copy(photo, in.resolve(String.format("photo-%03d.jpg", i)));
    }
    return in;
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    }
  }

  @Test
  void theMembersFilterTheImagesAndTheOutputsAreWrittenHereAsTheLocalPoolWritesThem()
      throws Exception {
    startCluster(2);
    Path in = ImageFixtures.samplePhotos();
    Path local = dir.resolve("local");
    Path remote = dir.resolve("remote");

    Run reference = images(in, local, "--pool", "thread", "--quiet");
    Run run = images(in, remote, clusterOptions().toArray(String[]::new));

    assertThat(reference.code()).isZero();
    assertThat(run.code()).as(run.err()).isZero();
    // Each member runs as many images at once as this machine has CPUs.
    int workers = 2 * Runtime.getRuntime().availableProcessors();
    assertThat(run.out())
        .contains("Filtered 8 of 8 images")
        .contains("(cluster pool, " + workers + " workers");
    assertThat(files(remote)).hasSize(8);
    for (Path output : files(remote)) {
      assertThat(output.getFileName().toString()).doesNotStartWith(".");
      assertThat(Files.readAllBytes(output))
          .as("%s, byte for byte", output.getFileName())
          .isEqualTo(Files.readAllBytes(local.resolve(output.getFileName())));
    }
  }

  @Test
  void aMemberKilledMidRunLosesNoImage() throws Exception {
    startCluster(3);
    Path in = copies("in", ImageFixtures.samplePhotos().resolve("LadyBird.jpg"), 40);
    Path out = dir.resolve("out");
    Path reference = dir.resolve("reference");
    images(copies("one", in.resolve("photo-000.jpg"), 1), reference, "--pool", "thread", "-q");
    List<String> args = new ArrayList<>(clusterOptions());
    args.add("--quiet");

    CompletableFuture<Run> running =
        CompletableFuture.supplyAsync(() -> images(in, out, args.toArray(String[]::new)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.isDirectory(out)
        || files(out).stream().filter(ClusterImagesTest::whole).count() < 2) {
      assertThat(System.nanoTime()).as("two images written within 90 s").isLessThan(deadline);
      assertThat(running).isNotDone();
      TimeUnit.MILLISECONDS.sleep(10);
    }
    members.get(1).process().destroyForcibly();
    Run run = running.get(150, TimeUnit.SECONDS);

    assertThat(run.code()).as(run.err()).isZero();
    List<Path> written = files(out);
    assertThat(written).hasSize(40).allMatch(ClusterImagesTest::whole);
    byte[] expected = Files.readAllBytes(reference.resolve("photo-000.jpg"));
    for (Path output : written) {
      assertThat(Files.readAllBytes(output)).as("%s", output.getFileName()).isEqualTo(expected);
    }
  }

  @Test
  void anImageThatRunsPastTheTimeoutOnItsMemberFailsAloneAndSaysSo() throws Exception {
    startCluster(1);
    Path in = copies("in", ImageFixtures.samplePhotos().resolve("LadyBird.jpg"), 2);
    List<String> args = new ArrayList<>(clusterOptions());
    args.addAll(List.of("--timeout", "1ms"));
    Run run = images(in, dir.resolve("out"), args.toArray(String[]::new));

    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "photo-000.jpg: took longer than the --timeout of 0.001s; its member gave up on it")
        .contains(
            "photo-001.jpg: took longer than the --timeout of 0.001s; its member gave up on it");
    assertThat(run.out()).contains("Filtered 0 of 2 images").contains("2 failed");
    assertThat(files(dir.resolve("out"))).isEmpty();
  }

  private static boolean whole(Path file) {
    return !file.getFileName().toString().startsWith(".");
  }

  /**
   * 240 MB of images through a client whose heap is 96 MB: it holds only the images in flight. A
   * client that sent them all at once (as a local pool's names are) runs out of memory.
   */
  @Test
  void theCommandsMemoryStaysBoundedHoweverManyImagesThereAre() throws Exception {
    startCluster(2);
    Path in = Files.createDirectories(dir.resolve("noise"));
    BufferedImage noise = new BufferedImage(1000, 700, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(18);
    for (int y = 0; y < noise.getHeight(); y++) {
      for (int x = 0; x < noise.getWidth(); x++) {
        noise.setRGB(x, y, random.nextInt());
      }
    }
    Path first = in.resolve("noise-000.png");
    ImageIO.write(noise, "png", first.toFile());
    assertThat(Files.size(first)).isGreaterThan(2_000_000);
    for (int i = 1; i < 120; i++) {
      Files.copy(first, in.resolve(String.format("noise-%03d.png", i)));
    }
    Path out = dir.resolve("out");
    List<String> command = ChildJvm.jfutures("-Xmx96m", "-XX:+ExitOnOutOfMemoryError");
    command.addAll(List.of("images", in.toString(), "--out", out.toString(), "--quiet"));
    command.addAll(clusterOptions());
    Path err = dir.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    try {
      assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("the command ends").isTrue();
      assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    } finally {
      process.destroyForcibly();
    }
    assertThat(files(out)).hasSize(120).allMatch(ClusterImagesTest::whole);
  }

  @Test
  void aClusterThatDoesNotAnswerEndsTheCommandWithTheAddressesItTried() throws IOException {
    int port = Ports.free();
    Run run =
        images(
            ImageFixtures.samplePhotos(),
            dir.resolve("out"),
            "--cluster",
            "127.0.0.1:" + port,
            "--cluster-name",
            clusterName);

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("jfutures: --cluster: no member of cluster '" + clusterName + "' answered at")
        .contains("127.0.0.1:" + port)
        .doesNotContain("\tat ");
  }

  @Test
  void whatACommandOnAClusterCannotDoIsAUsageErrorThatSaysWhy() throws IOException {
    Path in = ImageFixtures.samplePhotos();
    Path out = dir.resolve("out");
    String[] base = {"images", in.toString(), "--out", out.toString()};
    assertUsage(
        with(base, "--cluster", "127.0.0.1", "--pool", "thread"),
        "--pool and --cluster exclude each other");
    assertUsage(
        with(base, "--cluster", "127.0.0.1", "--workers", "3"),
        "--workers does not apply to --cluster");
    assertUsage(with(base, "--cluster", "127.0.0.1", "--codec", "libjpeg"), "--codec libjpeg: ");
    assertUsage(
        with(base, "--cluster", "no-such-host.invalid:5701"),
        "--cluster: host 'no-such-host.invalid' cannot be resolved");
    assertUsage(
        with(base, "--cluster", "127.0.0.1:70000"),
        "--cluster: '127.0.0.1:70000': the port must be a number from 1 to 65535");
    assertUsage(with(base, "--cluster-name", "studio"), "--cluster-name needs --cluster");
    assertThat(out).doesNotExist();
  }

  private static Run with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return jfutures(all);
  }
}
