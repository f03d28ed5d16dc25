package io.jfutures.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jfutures.ProcessPool;
import io.jfutures.TaskFailedException;
import io.jfutures.TaskFuture;
import io.jfutures.WorkerCrashedException;
import io.jfutures.cli.image.DecodeInWorker;
import io.jfutures.cli.image.ImageException;
import io.jfutures.cli.image.LibJpeg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fatal libjpeg error ends the process it happens in (see {@link LibJpeg}): here, for real, in a
 * process pool's worker, where it must fail its own image alone.
 */
class LibJpegWorkerTest {

  /** The photo with its first component's quantization table changed to one it never defines. */
  static byte[] undefinedQuantizationTable() {
    byte[] jpeg = ImageFixtures.bytes("photo.jpg").clone();
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && ((jpeg[i + 1] & 0xff) == 0xC0)) {
        // marker(2) length(2) precision(1) height(2) width(2) count(1), then id, sampling, table
        jpeg[i + 12] = 3;
        return jpeg;
      }
    }
    throw new IllegalStateException("photo.jpg has no baseline frame header");
  }

  @Test
  void aFatalLibjpegErrorEndsOnlyItsWorkerAndFailsOnlyItsImage() throws Exception {
    ImageFixtures.assumeLibjpeg();
    byte[] good = ImageFixtures.bytes("photo.jpg");
    byte[] bad = undefinedQuantizationTable();
    try (ProcessPool pool =
        ProcessPool.builder()
            .maxWorkers(1)
            .jvmOptions("--enable-native-access=ALL-UNNAMED")
            .build()) {
      String size = pool.submit(new DecodeInWorker(good, true)).result();
      TaskFuture<String> fatal = pool.submit(new DecodeInWorker(bad, false));
      List<TaskFuture<String>> after = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        after.add(pool.submit(new DecodeInWorker(good, true)));
      }

      assertThatThrownBy(fatal::result)
          .isInstanceOf(TaskFailedException.class)
          .isInstanceOf(WorkerCrashedException.class)
          .satisfies(
              e -> {
                WorkerCrashedException crash = (WorkerCrashedException) e;
                assertThat(crash.exitCode()).hasValue(LibJpeg.FATAL_EXIT);
                assertThat(crash.stderrTail())
                    .contains(LibJpeg.FATAL_PREFIX + "Quantization table 0x03 was not defined");
                assertThat(ImageRun.crashReason(crash))
                    .isEqualTo(
                        "not a readable JPEG: libjpeg stopped on it (Quantization table 0x03 was"
                            + " not defined), which ended its worker; the pool started another");
              });
      for (TaskFuture<String> future : after) {
        assertThat(future.result()).isEqualTo(size);
      }
      assertThat(pool.stats().workersStarted()).isEqualTo(2);
    }
  }

  @Test
  void theSameFileIsRefusedInJavaBeforeLibjpegSeesIt() throws Exception {
    ImageFixtures.assumeLibjpeg();
    try (ProcessPool pool =
        ProcessPool.builder()
            .maxWorkers(1)
            .jvmOptions("--enable-native-access=ALL-UNNAMED")
            .build()) {
      assertThatThrownBy(
              () -> pool.submit(new DecodeInWorker(undefinedQuantizationTable(), true)).result())
          .hasCauseInstanceOf(ImageException.class)
          .cause()
          .hasMessage("not a readable JPEG: quantization table 3 is used but never defined");
      assertThat(pool.submit(new DecodeInWorker(ImageFixtures.bytes("photo.jpg"), true)).result())
          .isNotEmpty();
      assertThat(pool.stats().workersStarted()).isEqualTo(1);
    }
  }
}
