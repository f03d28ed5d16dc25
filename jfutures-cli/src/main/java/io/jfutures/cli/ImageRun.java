package io.jfutures.cli;

import io.jfutures.Pool;
import io.jfutures.PoolInsights;
import io.jfutures.Task;
import io.jfutures.TaskFuture;
import io.jfutures.TaskTimeoutException;
import io.jfutures.WorkerCrashedException;
import io.jfutures.cli.image.ImageException;
import io.jfutures.cli.image.ImageJob;
import io.jfutures.cli.image.LibJpeg;
import io.jfutures.cli.image.RemoteImage;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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
 * than waited for. On a cluster the member keeps the limit ({@link RemoteImage}).
 *
 * <p><b>Clusters.</b> Members cannot see this machine's files, so the run reads each input as it
 * sends it and writes each output as it arrives, by the same rules as a worker ({@link ImageJob}).
 * It sends while fewer than twice the cluster's workers are in flight (and their inputs hold under
 * {@link #MAX_BYTES_IN_FLIGHT}), so memory stays bounded however many images there are. An image
 * whose member is lost runs again on another (the pool's retries); only its answer, which comes
 * once, is written, so no image is written twice.
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
   * @param workers the most workers the pool had at once
   */
  record Result(
      int done,
      List<String> failures,
      Set<String> jpegCodecs,
      boolean interrupted,
      double seconds,
      PoolInsights insights,
      int workers) {}

  /**
   * The pools a run can use. A process or thread pool's workers read and write the files
   * themselves; a cluster's members get each input's bytes and send the output's back, which this
   * JVM writes.
   */
  enum Kind {
    PROCESS,
    THREAD,
    CLUSTER
  }

  /**
   * The most bytes of inputs a cluster run holds at once (each input twice: as read, and encoded
   * for its member), beyond a single image. Outputs are written as they come, so this and the
   * window bound the run's memory however many images there are.
   */
  private static final long MAX_BYTES_IN_FLIGHT =
      Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);

  private final ImagePlan plan;
  private final Pool pool;
  private final Duration timeout;
  private final Progress progress;
  private final Kind kind;
  private final CountDownLatch reported = new CountDownLatch(1);
  private final Set<TaskFuture<ImageJob.Done>> abandoned = ConcurrentHashMap.newKeySet();
  private final Set<TaskFuture<?>> running = ConcurrentHashMap.newKeySet();
  private volatile boolean interrupted;
  private int workersSeen;

  /**
   * @param pool the pool to run on, which the run closes
   * @param kind what {@code pool} is, which decides how images travel and time out
   * @param timeout how long an image may run; zero for no limit
   * @param progress where each image is counted and each failure told, closed once all are in
   */
  ImageRun(ImagePlan plan, Pool pool, Kind kind, Duration timeout, Progress progress) {
    this.plan = plan;
    this.pool = pool;
    this.kind = kind;
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
          new Result(
              done, failures, jpegCodecs, interrupted, seconds, pool.insights(), workersSeen));
    } finally {
      reported.countDown();
    }
  }

  /** Whether the run has reported, or ended without: a shutdown hook no longer waits for it. */
  boolean hasReported() {
    return reported.getCount() == 0;
  }

  /**
   * Submits and collects every image; returns how many were written. Images go out while fewer than
   * {@link #window the window} are in flight (all at once on a local pool, whose tasks hold only
   * names), and each answer is taken as it comes, so a cluster run holds only the window's bytes.
   */
  private int collect(List<String> failures, Set<String> jpegCodecs) {
    int done = 0;
    ScheduledExecutorService alarms =
        kind == Kind.THREAD && timeout.isPositive()
            ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("jfutures-image-timeout").factory())
            : null;
    try {
      BlockingQueue<Sent> answered = new LinkedBlockingQueue<>();
      Iterator<ImagePlan.Planned> next = plan.images().iterator();
      int inFlight = 0;
      long bytesInFlight = 0;
      while (inFlight > 0 || (next.hasNext() && !interrupted)) {
        int workers = pool.maxWorkers();
        workersSeen = Math.max(workersSeen, workers);
        int window = window(workers);
        while (next.hasNext()
            && !interrupted
            && (inFlight == 0 || (inFlight < window && bytesInFlight < MAX_BYTES_IN_FLIGHT))) {
          ImagePlan.Planned p = next.next();
          Sent sent = send(p, alarms, failures);
          if (sent == null) {
            progress.step();
            continue;
          }
          sent.future.onDone(f -> answered.add(sent));
          inFlight++;
          bytesInFlight += sent.bytes;
        }
        if (inFlight == 0) {
          break;
        }
        Sent sent;
        try {
          sent = answered.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        inFlight--;
        bytesInFlight -= sent.bytes;
        running.remove(sent.future);
        if (settle(sent, failures, jpegCodecs)) {
          done++;
        }
        progress.step();
      }
      if (interrupted) {
        stopPool();
        done = plan.written();
        plan.removePartialFiles();
      }
    } finally {
      workersSeen = Math.max(workersSeen, pool.maxWorkers());
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

  /** An image handed to the pool: its future, and the input bytes it holds (cluster runs only). */
  private record Sent(ImagePlan.Planned image, TaskFuture<?> future, long bytes) {}

  /**
   * How many images may be in flight with {@code workers} workers (a cluster's members come and
   * go): on a cluster twice its workers, so that each worker has its next image at hand; elsewhere,
   * all of them.
   */
  private int window(int workers) {
    return kind == Kind.CLUSTER ? Math.max(4, 2 * workers) : Integer.MAX_VALUE;
  }

  /**
   * Hands {@code p} to the pool; null when the image failed before it could go (a cluster run reads
   * it here, and says why it cannot).
   */
  private Sent send(ImagePlan.Planned p, ScheduledExecutorService alarms, List<String> failures) {
    ImageJob job = p.job();
    TaskFuture<?> future;
    long bytes = 0;
    if (kind == Kind.CLUSTER) {
      byte[] data;
      try {
        data = job.readInput();
      } catch (ImageException e) {
        failed(failures, p, e.getMessage());
        return null;
      }
      // The task holds the bytes, and the pool their encoded copy, until the answer comes.
      bytes = 2L * data.length;
      future = pool.submit(new RemoteImage(job, data, timeout));
    } else if (alarms != null) {
      CompletableFuture<TaskFuture<ImageJob.Done>> self = new CompletableFuture<>();
      TaskFuture<ImageJob.Done> alarmed = pool.submit(new Alarmed(job, alarms, self));
      self.complete(alarmed);
      future = alarmed;
    } else {
      future = pool.submit(job);
    }
    running.add(future);
    if (interrupted) {
      future.cancel(true);
    }
    return new Sent(p, future, bytes);
  }

  /**
   * Takes an answered image: writes its output if it came from a cluster, and records it. Returns
   * whether the image was written.
   */
  private boolean settle(Sent sent, List<String> failures, Set<String> jpegCodecs) {
    ImagePlan.Planned p = sent.image;
    try {
      Object answer = sent.future.get();
      ImageJob.Done result;
      if (answer instanceof ImageJob.Filtered filtered) {
        if (interrupted) {
          return false;
        }
        p.job().write(filtered.encoded());
        result = filtered.done();
      } else {
        result = (ImageJob.Done) answer;
      }
      if (result.jpegCodec() != null) {
        jpegCodecs.add(result.jpegCodec());
      }
      return true;
    } catch (ImageException e) {
      failed(failures, p, e.getMessage());
    } catch (CancellationException e) {
      if (abandoned.contains(sent.future) && !interrupted) {
        failed(failures, p, tookTooLong("it was abandoned"));
      }
    } catch (ExecutionException e) {
      if (!interrupted) {
        failed(failures, p, reason(e.getCause()));
      }
    } catch (InterruptedException e) {
      // The future is done: get() does not wait.
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private void failed(List<String> failures, ImagePlan.Planned p, String reason) {
    String line = p.input() + ": " + reason;
    failures.add(line);
    progress.message(ImagesCommand.printable("jfutures: " + line));
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
    for (TaskFuture<?> future : running) {
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
      if (cause instanceof RemoteImage.TimedOut) {
        return tookTooLong("its member gave up on it");
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
