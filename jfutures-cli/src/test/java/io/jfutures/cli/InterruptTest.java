package io.jfutures.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ctrl-C on a real {@code jfutures images} process: it stops cleanly. */
class InterruptTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"process", "thread", "cluster"})
  void ctrlCStopsTheRunLeavesOnlyWholeImagesAndCountsWhatItWrote(String pool) throws Exception {
    if (pool.equals("cluster")) {
      try (ClusterCommandTest.Member member = ClusterCommandTest.startMember(false)) {
        member.readUpTo("Stop it with Ctrl-C.");
        interruptARun(
            "--cluster", "127.0.0.1:" + member.port(), "--cluster-name", member.clusterName());
      }
    } else {
      interruptARun("--workers", pool.equals("thread") ? "2" : "1", "--pool", pool);
    }
  }

  private void interruptARun(String... poolOptions) throws Exception {
    boolean processes = List.of(poolOptions).contains("process");
    Path in = Files.createDirectories(dir.resolve("in"));
    byte[] photo;
    try (InputStream sample = Files.newInputStream(Path.of("../samples/photos/LadyBird.jpg"))) {
      photo = sample.readAllBytes();
    }
    for (int i = 0; i < 60; i++) {
      Files.write(in.resolve(String.format("photo-%02d.jpg", i)), photo);
    }
    Path out = dir.resolve("out");
    List<String> command = new ArrayList<>(defaultSigint());
    command.addAll(ChildJvm.jfutures("--enable-native-access=ALL-UNNAMED"));
    command.addAll(
        List.of(
            "images",
            in.toString(),
            "--out",
            out.toString(),
            "--codec",
            "imageio",
            "--filter",
            "blur"));
    command.addAll(List.of(poolOptions));
    int reported;
    Process process =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> err = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null && !line.startsWith("BLUR: ")) {
        err.add(line);
      }
      assertThat(line).as("a first progress line; stderr: %s", err).isNotNull();
      List<ProcessHandle> workers = process.descendants().toList();
      if (processes) {
        assertThat(workers).isNotEmpty();
      }

      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();

      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while ((line = lines.readLine()) != null) {
        err.add(line);
      }
      assertThat(
              process.waitFor(
                  Duration.between(Instant.now(), deadline).toSeconds(), TimeUnit.SECONDS))
          .as("exits after Ctrl-C")
          .isTrue();
      assertThat(process.exitValue()).isEqualTo(130);
      Matcher summary =
          Pattern.compile("jfutures: interrupted: (\\d+) of 60 images written")
              .matcher(String.join("\n", err));
      assertThat(summary.find()).as("the summary in %s", err).isTrue();
      reported = Integer.parseInt(summary.group(1));
      for (ProcessHandle worker : workers) {
        assertThat(worker.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      }
    } finally {
      process.destroyForcibly();
    }

    List<Path> written;
    try (Stream<Path> files = Files.list(out)) {
      written = files.toList();
    }
    assertThat(written).hasSizeLessThan(60).hasSize(reported);
    for (Path file : written) {
      assertThat(file.getFileName().toString()).doesNotStartWith(".");
      BufferedImage image = ImageIO.read(file.toFile());
      assertThat(image).as("%s is a whole image", file).isNotNull();
      assertThat(image.getWidth()).isEqualTo(2560);
    }
  }

  /**
   * A command prefix that gives the child SIGINT's default action. A JVM whose SIGINT is ignored
   * when it starts (as in anything run in the background of a non-interactive shell, such as a
   * build started with {@code &}) never sees Ctrl-C; coreutils' {@code env} can undo that.
   */
  private static List<String> defaultSigint() throws Exception {
    Process probe =
        new ProcessBuilder("env", "--default-signal=INT", "true")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return probe.waitFor() == 0 ? List.of("env", "--default-signal=INT") : List.of();
  }
}
