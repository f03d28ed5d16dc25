package io.jfutures.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jfutures.ThreadPool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run of the image job, apart from the command: how it ends, whatever happens in it. */
class ImageRunTest {
  private static ImageRun emptyRun() {
    Progress quiet = Progress.create(new PrintWriter(new StringWriter()), "test", 0, true, false);
    return new ImageRun(
        new ImagePlan(List.of()), ThreadPool.create(1), ImageRun.Kind.THREAD, Duration.ZERO, quiet);
  }

  @Test
  void aRunThatReportsReleasesTheInterruptHook() {
    ImageRun run = emptyRun();
    assertThat(run.run(new ArrayList<>(), result -> Main.OK)).isEqualTo(Main.OK);
    assertThat(run.hasReported()).isTrue();
  }

  @Test
  void aReportThatThrowsStillReleasesTheInterruptHookInsteadOfLeavingItWaiting() {
    ImageRun run = emptyRun();
    assertThatThrownBy(
            () ->
                run.run(
                    new ArrayList<>(),
                    result -> {
                      throw new IllegalStateException("the report failed");
                    }))
        .hasMessage("the report failed");
    assertThat(run.hasReported()).isTrue();
  }
}
