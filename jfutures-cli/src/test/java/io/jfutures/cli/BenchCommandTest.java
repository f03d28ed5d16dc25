package io.jfutures.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

  @Test
  void printsTheArticlesExamplesAsATable() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "bench",
            "--latency",
            "20ms",
            "--numbers",
            "20000",
            "--photos",
            "../samples/photos");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("one by one", "jfutures", "speed-up")
        .contains("fetch_data x3 (20 ms each), ThreadPool(3)")
        .contains("map(square) over 20,000 ints, ProcessPool()")
        .contains("errors caught: 1 one by one, 1 on the pool")
        .contains("CONTOUR on 8 photos")
        .contains("the same on ClusterPool.embedded(), bytes through the member")
        .contains("on the member");
  }

  @Test
  void aBadDurationIsAUsageError() {
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            "bench",
            "--latency",
            "soon");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("'soon' is not a duration");
  }
}
