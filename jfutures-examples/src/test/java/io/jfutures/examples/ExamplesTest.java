package io.jfutures.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.ThreadPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Runs every example so that none of them can rot. */
class ExamplesTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void fetchRunsTheCallsConcurrentlyAndPrintsEveryResult() {
    Duration latency = Duration.ofMillis(300);
    FetchExample.run(latency, out);
    assertThat(lines())
        .containsExactlyInAnyOrder(
            "Fetching api/data1",
            "Fetching api/data2",
            "Fetching api/data3",
            "Data from api/data1",
            "Data from api/data2",
            "Data from api/data3");
    // Every call had started before any result was printed: they ran at once.
    assertThat(lines().subList(0, 3)).allMatch(line -> line.startsWith("Fetching"));
  }

  @Test
  void riskyTaskReportsTheFailureAndKeepsTheOtherResults() {
    RiskyTaskExample.run(out);
    assertThat(lines())
        .containsExactlyInAnyOrder(
            "0", "2", "4", "6", "8", "Error: Bad number!", "12", "14", "16", "18");
  }

  @Test
  void gracefulShutdownHasEveryResultWhenThePoolCloses() {
    List<Integer> results = GracefulShutdownExample.run(out);
    assertThat(results)
        .containsExactlyElementsOf(IntStream.range(0, 10_000).map(n -> n * n).boxed().toList());
    assertThat(lines()).contains("pool open: true", "squares: 10000, last = 99980001");
  }

  @Test
  void squaresMapsEveryNumber() {
    try (ThreadPool pool = ThreadPool.create(2)) {
      SquaresExample.run(pool, 100_000, out);
    }
    assertThat(lines())
        .containsExactly(
            "100,000 squares (last 9,999,800,001) in " + lines().get(0).replaceAll(".* in ", ""));
  }

  @Test
  void theCombinedProgramRuns() {
    PrintStream original = System.out;
    System.setOut(out);
    try {
      Examples.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    assertThat(lines())
        .contains("Error: Bad number!", "squares: 10000, last = 99980001")
        .anyMatch(line -> line.startsWith("   ThreadPool:  10,000,000 squares"))
        .anyMatch(line -> line.startsWith("   ProcessPool: 10,000,000 squares"));
  }
}
