package io.jfutures.cli;

import io.jfutures.Futures;
import io.jfutures.Pool;
import io.jfutures.PoolInsights;
import io.jfutures.Task;
import io.jfutures.TaskFuture;
import io.jfutures.TaskTimeoutException;
import io.jfutures.WorkerCrashedException;
import io.jfutures.cli.image.ImageException;
import io.jfutures.cli.image.ImageJob;
import io.jfutures.cli.image.LibJpeg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One run of an {@link ImagePlan} on a pool: submits every image, collects them as they complete
 * with progress, and says what became of each. A failed image is reported with its path and reason
 * while the others go on.
 *
 * <p><b>Timeouts.</b> On a process pool the pool's own task timeout kills the worker of an image
 * that runs too long. On a thread pool, which cannot stop a thread, an alarm set when the image
 * starts cancels its future: that interrupts the thread (a job checks before it writes) and reports
 * the image at once, even if the thread stays stuck; the pool is then left to the JVM's exit rather
 * than waited for.
 *
 * <p><b>Interrupts.</b> On Ctrl-C (or SIGTERM) a shutdown hook cancels every image, running ones
 * included (which kills their worker JVMs), and waits until the run has stopped the pool, removed
 * the partial files of unfinished images and reported; finished outputs stay, each renamed into
 * place whole. The hook waits on {@code reported}, which the run releases however it ends.
 */
final class ImageRun {
  /**
   * What became of a run.
   *
   * @param done how many images were written
   * @param failures one line for each image that failed: its input and why
   * @param jpegCodecs the JPEG codecs the workers used
   * @param interrupted whether Ctrl-C or SIGTERM stopped the run
   * @param seconds how long it took
   * @param insights where the pool's time went
   */
  record Result(
      int done,
      List<String> failures,
      Set<String> jpegCodecs,
      boolean interrupted,
      double seconds,
      PoolInsights insights) {}

  private final ImagePlan plan;
  private final Pool pool;
  private final Duration timeout;
  private final Progress progress;
  private final boolean threads;
  private final CountDownLatch reported = new CountDownLatch(1);
  private final Set<TaskFuture<ImageJob.Done>> abandoned = ConcurrentHashMap.newKeySet();
  private volatile boolean interrupted;
  private volatile List<TaskFuture<ImageJob.Done>> running = List.of();

  /**
   * @param pool the pool to run on, which the run closes
   * @param threads whether {@code pool} is a thread pool, whose images time out by alarms
   * @param timeout how long an image may run; zero for no limit
   * @param progress where each image is counted and each failure told, closed once all are in
   */
  ImageRun(ImagePlan plan, Pool pool, boolean threads, Duration timeout, Progress progress) {
    this.plan = plan;
    this.pool = pool;
    this.threads = threads;
    this.timeout = timeout;
    this.progress = progress;
  }

  /**
   * Runs the plan, closes the pool, and hands the result to {@code report}, whose exit code it
   * returns. A Ctrl-C during the run or the report waits for the report to end.
   */
  int run(List<String> failures, Function<Result, Integer> report) {
    Thread hook = new Thread(this::interrupt, "jfutures-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      long start = System.nanoTime();
      Set<String> jpegCodecs = new TreeSet<>();
      int done;
      try {
        done = collect(failures, jpegCodecs);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for the report
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return report.apply(
          new Result(done, failures, jpegCodecs, interrupted, seconds, pool.insights()));
    } finally {
      reported.countDown();
    }
  }

  /** Whether the run has reported, or ended without: a shutdown hook no longer waits for it. */
  boolean hasReported() {
    return reported.getCount() == 0;
  }

  /** Submits and collects every image; returns how many were written. */
  private int collect(List<String> failures, Set<String> jpegCodecs) {
    int done = 0;
    ScheduledExecutorService alarms =
        threads && timeout.isPositive()
            ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("jfutures-image-timeout").factory())
            : null;
    try {
      List<TaskFuture<ImageJob.Done>> futures = new ArrayList<>(plan.images().size());
      Map<TaskFuture<ImageJob.Done>, ImagePlan.Planned> byFuture = new HashMap<>();
      for (ImagePlan.Planned p : plan.images()) {
        TaskFuture<ImageJob.Done> future = submit(p.job(), alarms);
        futures.add(future);
        byFuture.put(future, p);
      }
      running = futures;
      if (interrupted) {
        cancelAll();
      }
      for (TaskFuture<ImageJob.Done> future : Futures.asCompleted(futures)) {
        ImagePlan.Planned p = byFuture.get(future);
        try {
          String used = future.get().jpegCodec();
          if (used != null) {
            jpegCodecs.add(used);
          }
          done++;
        } catch (CancellationException e) {
          if (abandoned.contains(future) && !interrupted) {
            failed(failures, p, tookTooLong("it was abandoned"));
          }
        } catch (ExecutionException e) {
          if (!interrupted) {
            failed(failures, p, reason(e.getCause()));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        progress.step();
      }
      if (interrupted) {
        stopPool();
        done = plan.written();
        plan.removePartialFiles();
      }
    } finally {
      progress.close();
      if (alarms != null) {
        alarms.shutdownNow();
      }
      if (abandoned.isEmpty()) {
        pool.close();
      } else {
        // Threads stuck on an abandoned image cannot be stopped; the JVM's exit ends them.
        pool.shutdown(false, true);
      }
    }
    return done;
  }

  private void failed(List<String> failures, ImagePlan.Planned p, String reason) {
    String line = p.input() + ": " + reason;
    failures.add(line);
    progress.message(ImagesCommand.printable("jfutures: " + line));
  }

  private TaskFuture<ImageJob.Done> submit(ImageJob job, ScheduledExecutorService alarms) {
    if (alarms == null) {
      return pool.submit(job);
    }
    CompletableFuture<TaskFuture<ImageJob.Done>> self = new CompletableFuture<>();
    TaskFuture<ImageJob.Done> future = pool.submit(new Alarmed(job, alarms, self));
    self.complete(future);
    return future;
  }

  /** An image on a thread pool, which sets an alarm for its timeout as it starts. */
  private final class Alarmed implements Task<ImageJob.Done> {
    private final ImageJob job;
    private final transient ScheduledExecutorService alarms;
    private final transient CompletableFuture<TaskFuture<ImageJob.Done>> self;

    Alarmed(
        ImageJob job,
        ScheduledExecutorService alarms,
        CompletableFuture<TaskFuture<ImageJob.Done>> self) {
      this.job = job;
      this.alarms = alarms;
      this.self = self;
    }

    @Override
    public ImageJob.Done call() {
      ScheduledFuture<?> alarm =
          alarms.schedule(
              () -> self.thenAccept(ImageRun.this::abandon),
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
      try {
        return job.run();
      } finally {
        alarm.cancel(false);
      }
    }

    @Override
    public String toString() {
      return job.toString();
    }
  }

  private void abandon(TaskFuture<ImageJob.Done> future) {
    abandoned.add(future);
    if (!future.cancel(true)) {
      abandoned.remove(future);
    }
  }

  /** Stops the pool after an interrupt, waiting a little for running images to end. */
  private void stopPool() {
    Thread stopping = Thread.ofPlatform().daemon().start(() -> pool.shutdown(true, true));
    try {
      stopping.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The shutdown hook: stop everything, then wait for the run to report. */
  private void interrupt() {
    interrupted = true;
    cancelAll();
    try {
      reported.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cancelAll() {
    for (TaskFuture<ImageJob.Done> future : running) {
      future.cancel(true);
    }
  }

  String tookTooLong(String what) {
    String text = timeout.toString().substring(2).toLowerCase(Locale.ROOT);
    return "took longer than the --timeout of " + (text.isEmpty() ? "0s" : text) + "; " + what;
  }

  /** What went wrong with an image, for the user: never a Java class name. */
  private String reason(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof ImageException)) {
      if (cause instanceof TaskTimeoutException) {
        return tookTooLong("its worker was stopped");
      }
      if (cause instanceof WorkerCrashedException crash) {
        return crashReason(crash);
      }
      cause = cause.getCause();
    }
    if (cause != null) {
      return cause.getMessage();
    }
    Throwable root = failure.getCause() != null ? failure.getCause() : failure;
    String message = root.getMessage();
    return "failed unexpectedly"
        + (message == null || message.isBlank() ? "" : ": " + message)
        + " (please report this)";
  }

  /**
   * What a worker's crash means for its image: a fatal libjpeg error, which ends the worker by
   * design, is the image's fault and said so; anything else is the crash's own description.
   */
  static String crashReason(WorkerCrashedException crash) {
    for (String line : crash.stderrTail()) {
      if (line.startsWith(LibJpeg.FATAL_PREFIX)) {
        return "not a readable JPEG: libjpeg stopped on it ("
            + line.substring(LibJpeg.FATAL_PREFIX.length())
            + "), which ended its worker; the pool started another";
      }
    }
    return crash.getMessage();
  }
}
