package io.jfutures.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * How a run shows its progress on stderr: a live bar on a terminal, a plain line at most once a
 * second otherwise, nothing with {@code --quiet}. Messages (failures) are always written, above the
 * bar where there is one. Only the thread that collects results calls it.
 */
abstract sealed class Progress implements AutoCloseable {

  /** One item finished, well or not. */
  abstract void step();

  /** Writes a line of its own, such as a failure. */
  abstract void message(String line);

  @Override
  public abstract void close();

  static Progress create(PrintWriter err, String task, int total, boolean quiet, boolean terminal) {
    if (quiet) {
      return new Quiet(err);
    }
    return terminal ? new Bar(System.err, task, total) : new Lines(err, task, total);
  }

  /** Whether stdin and stdout are a terminal, where a redrawn bar is readable. */
  static boolean onTerminal() {
    return System.console() != null && System.console().isTerminal();
  }

  static final class Quiet extends Progress {
    private final PrintWriter err;

    Quiet(PrintWriter err) {
      this.err = err;
    }

    @Override
    void step() {}

    @Override
    void message(String line) {
      err.println(line);
    }

    @Override
    public void close() {}
  }

  static final class Bar extends Progress {
    private final PrintStream err;
    private final ProgressBar bar;

    Bar(PrintStream err, String task, int total) {
      this.err = err;
      this.bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(total)
              .setUnit(" images", 1)
              .showSpeed(new DecimalFormat("0.0"))
              .setSpeedUnit(ChronoUnit.SECONDS)
              .setUpdateIntervalMillis(200)
              .setConsumer(new ConsoleProgressBarConsumer(err))
              .build();
    }

    @Override
    void step() {
      bar.step();
    }

    @Override
    void message(String line) {
      synchronized (err) {
        err.print("\r\033[K");
        err.println(line);
      }
      bar.refresh();
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  static final class Lines extends Progress {
    private final PrintWriter err;
    private final String task;
    private final int total;
    private final long start = System.nanoTime();
    private long lastLine = Long.MIN_VALUE;
    private int done;

    Lines(PrintWriter err, String task, int total) {
      this.err = err;
      this.task = task;
      this.total = total;
    }

    @Override
    void step() {
      done++;
      long now = System.nanoTime();
      if (done == total || lastLine == Long.MIN_VALUE || now - lastLine >= 1_000_000_000L) {
        lastLine = now;
        double seconds = Math.max((now - start) / 1e9, 1e-9);
        double rate = done / seconds;
        long eta = Math.round((total - done) / Math.max(rate, 1e-9));
        err.printf(
            "%s: %d/%d images (%d%%), %.1f images/s, %s%n",
            task,
            done,
            total,
            done * 100L / Math.max(total, 1),
            rate,
            done == total ? "done" : "ETA " + duration(eta));
        err.flush();
      }
    }

    @Override
    void message(String line) {
      err.println(line);
      err.flush();
    }

    @Override
    public void close() {}

    static String duration(long seconds) {
      if (seconds < 60) {
        return seconds + " s";
      }
      if (seconds < 3600) {
        return String.format("%d min %02d s", seconds / 60, seconds % 60);
      }
      return String.format("%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }
  }
}
