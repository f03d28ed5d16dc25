package io.jfutures.cli;

import io.jfutures.Futures;
import io.jfutures.Pool;
import io.jfutures.ProcessPool;
import io.jfutures.TaskFuture;
import io.jfutures.TaskTimeoutException;
import io.jfutures.ThreadPool;
import io.jfutures.WorkerCrashedException;
import io.jfutures.cli.image.Filter;
import io.jfutures.cli.image.ImageException;
import io.jfutures.cli.image.ImageFiles;
import io.jfutures.cli.image.ImageIoJpeg;
import io.jfutures.cli.image.ImageJob;
import io.jfutures.cli.image.JpegCodec;
import io.jfutures.cli.image.TurboJpeg;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jfutures images}: the article's image job. Each image is read, filtered and written by one
 * task on a {@link ProcessPool} (or a {@link ThreadPool}); the results are collected as they
 * complete, with progress, and a failed image is reported with its path and reason while the others
 * go on.
 *
 * <p>On Ctrl-C (or SIGTERM) a shutdown hook cancels every task, running ones included (which kills
 * their worker JVMs), waits for the pool to stop, removes the partial files of unfinished images,
 * prints what was done and lets the JVM exit. Finished outputs stay: each was renamed into place
 * whole.
 */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Applies one of Pillow's filters to many images in parallel, with output identical to Pillow's.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jfutures images samples/photos --out processed",
      "  jfutures images 'shots/**/*.jpg' --out edges --filter find_edges --format png",
      "  jfutures images photos --recursive --out small --quality 60 --workers 4",
      "",
      "Exit codes: 0 all images done, 1 some failed, 2 bad usage, 130 interrupted."
    })
final class ImagesCommand implements Callable<Integer> {

  enum PoolKind {
    PROCESS,
    THREAD
  }

  enum OutputFormat {
    SAME,
    JPG,
    PNG
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "INPUT",
      description =
          "Image files (JPEG or PNG, recognised by content), folders, or glob patterns such as"
              + " 'photos/*.jpg' or 'shots/**/*.png' (quote them to keep the shell from expanding"
              + " them).")
  List<String> inputs;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "DIR",
      description =
          "Folder for the results, created if missing. Outputs keep their input's name (and"
              + " relative folder); inputs are never overwritten.")
  Path out;

  @Option(
      names = {"-f", "--filter"},
      paramLabel = "NAME",
      defaultValue = "contour",
      converter = FilterName.class,
      description =
          "Pillow's built-in filter: blur, contour, detail, edge_enhance, edge_enhance_more,"
              + " emboss, find_edges, sharpen, smooth, smooth_more (default: ${DEFAULT-VALUE}).")
  Filter filter;

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "N",
      description = "Workers running at once (default: the number of CPUs, ${DEFAULT-VALUE}).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--pool",
      paramLabel = "process|thread",
      defaultValue = "process",
      description =
          "process: worker JVMs, a crash or runaway image cannot take the run down; thread: threads"
              + " in this JVM (default: ${DEFAULT-VALUE}).")
  PoolKind pool;

  @Option(
      names = "--format",
      paramLabel = "same|jpg|png",
      defaultValue = "same",
      description =
          "Output format: same keeps each input's name and saves by its extension, as Pillow's"
              + " save does (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(
      names = "--quality",
      paramLabel = "Q",
      defaultValue = "75",
      description = "JPEG quality, 1 to 100, as in Pillow (default: ${DEFAULT-VALUE}).")
  int quality;

  @Option(
      names = {"-r", "--recursive"},
      description = "Also take images in the folders below the given folders.")
  boolean recursive;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress and no summary; only failures are written.")
  boolean quiet;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      description =
          "Refuse images that declare more pixels than this, before decoding them, as Pillow"
              + " refuses decompression bombs; 0 for no limit (default: Pillow's, ${DEFAULT-VALUE}).")
  long maxPixels = ImageFiles.DEFAULT_MAX_PIXELS;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationText.class,
      description =
          "Give up on an image that takes longer than this (500ms, 30s, 5m, 1h; 0 for never): its"
              + " worker is stopped, it is reported failed and the others go on (default:"
              + " ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--codec",
      paramLabel = "auto|turbojpeg|imageio",
      defaultValue = "auto",
      description =
          "JPEG codec: the system's libjpeg-turbo (fast, Pillow's own), the JDK's ImageIO (needs"
              + " nothing installed), or auto: the first when present (default: ${DEFAULT-VALUE}).")
  JpegCodec.Choice codec;

  static final class FilterName implements CommandLine.ITypeConverter<Filter> {
    @Override
    public Filter convert(String value) {
      try {
        return Filter.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, plain seconds, or ISO-8601. */
  static final class DurationText implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.strip().toLowerCase(Locale.ROOT);
      try {
        if (text.startsWith("pt")) {
          return Duration.parse(text);
        }
        for (String unit : List.of("ms", "s", "m", "h")) {
          if (text.endsWith(unit) && !(unit.equals("s") && text.endsWith("ms"))) {
            long n = Long.parseLong(text.substring(0, text.length() - unit.length()).strip());
            return switch (unit) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              default -> Duration.ofHours(n);
            };
          }
        }
        return Duration.ofSeconds(Long.parseLong(text));
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration; write it as 500ms, 30s, 5m or 1h (0 for none)");
      }
    }
  }

  /**
   * An image to process: where it came from, its job, and the identity of the file its output name
   * held before the run (null if none), by which a file this run wrote is told apart.
   */
  private record Planned(String input, ImageJob job, Object outputBefore) {}

  private PrintWriter err;
  private volatile boolean interrupted;
  private volatile List<TaskFuture<ImageJob.Done>> running = List.of();
  private final CountDownLatch finished = new CountDownLatch(1);

  /** The images abandoned by the thread pool's timeout: their futures were cancelled. */
  private final Set<TaskFuture<ImageJob.Done>> abandoned = ConcurrentHashMap.newKeySet();

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    if (workers < 1) {
      throw usage("--workers must be at least 1, was " + workers);
    }
    if (quality < 1 || quality > 100) {
      throw usage("--quality must be between 1 and 100, was " + quality);
    }
    if (maxPixels < 0) {
      throw usage("--max-pixels must be 0 (no limit) or more, was " + maxPixels);
    }
    if (timeout.isNegative()) {
      throw usage("--timeout must be 0 (none) or more, was " + timeout);
    }
    if (codec == JpegCodec.Choice.TURBOJPEG && TurboJpeg.libraryProblem() != null) {
      throw usage("--codec turbojpeg: " + TurboJpeg.libraryProblem());
    }
    try {
      Files.createDirectories(out);
    } catch (FileAlreadyExistsException e) {
      throw usage("--out " + out + " is a file, not a folder");
    } catch (IOException e) {
      throw usage("--out " + out + ": cannot create the folder (" + e.getMessage() + ")");
    }

    ImageInputs.Found found = ImageInputs.scan(inputs, recursive, out);
    for (String note : found.notes()) {
      err.println(printable("jfutures: note: " + note));
    }
    List<String> failures = new ArrayList<>();
    for (ImageInputs.Problem problem : found.problems()) {
      failures.add(problem.input() + ": " + problem.reason());
      err.println(printable("jfutures: " + problem.input() + ": " + problem.reason()));
    }
    List<Planned> planned = plan(found.sources(), failures);
    int cores = Runtime.getRuntime().availableProcessors();
    if (workers > cores && !quiet) {
      err.printf(
          "jfutures: note: --workers %d is more than this machine's %d CPUs; more workers than"
              + " CPUs are unlikely to help.%n",
          workers, cores);
    }
    int poolSize = Math.max(1, Math.min(workers, planned.size()));
    err.flush();

    long start = System.nanoTime();
    int done = 0;
    Set<String> jpegCodecs = new TreeSet<>();
    String task = filter.name();
    Thread hook = new Thread(this::interrupt, "jfutures-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    Pool workersPool = newPool(poolSize);
    ScheduledExecutorService alarms =
        pool == PoolKind.THREAD && timeout.isPositive() ? alarms() : null;
    try (Progress progress =
        Progress.create(err, task, planned.size(), quiet, Progress.onTerminal())) {
      List<TaskFuture<ImageJob.Done>> futures = new ArrayList<>(planned.size());
      Map<TaskFuture<ImageJob.Done>, Planned> byFuture = new HashMap<>();
      for (Planned p : planned) {
        TaskFuture<ImageJob.Done> future = submit(workersPool, p.job(), alarms);
        futures.add(future);
        byFuture.put(future, p);
      }
      running = futures;
      if (interrupted) {
        cancelAll();
      }
      for (TaskFuture<ImageJob.Done> future : Futures.asCompleted(futures)) {
        Planned p = byFuture.get(future);
        try {
          String used = future.get().jpegCodec();
          if (used != null) {
            jpegCodecs.add(used);
          }
          done++;
        } catch (CancellationException e) {
          if (abandoned.contains(future) && !interrupted) {
            String line = p.input() + ": " + tookTooLong("it was abandoned");
            failures.add(line);
            progress.message(printable("jfutures: " + line));
          }
        } catch (ExecutionException e) {
          if (!interrupted) {
            String line = p.input() + ": " + reason(e.getCause());
            failures.add(line);
            progress.message(printable("jfutures: " + line));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        progress.step();
      }
      if (interrupted) {
        stop(workersPool);
        done = written(planned);
        for (Planned p : planned) {
          try {
            Files.deleteIfExists(p.job().partialFile());
          } catch (IOException ignored) {
            // a leftover partial file is hidden and named for what it is
          }
        }
      }
    } finally {
      if (alarms != null) {
        alarms.shutdownNow();
      }
      if (abandoned.isEmpty()) {
        workersPool.close();
      } else {
        // Threads stuck on an abandoned image cannot be stopped; the JVM's exit ends them.
        workersPool.shutdown(false, true);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for the line below
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = found.sources().size() + found.problems().size();
    if (interrupted) {
      err.printf(
          "jfutures: interrupted: %d of %d images written in %.2f s; unfinished images were not"
              + " written.%n",
          done, total, seconds);
      err.flush();
      finished.countDown();
      return Main.INTERRUPTED;
    }
    if (!quiet) {
      if (codec == JpegCodec.Choice.AUTO && jpegCodecs.contains(ImageIoJpeg.NAME)) {
        String problem = TurboJpeg.libraryProblem();
        err.println(
            "jfutures: note: "
                + (problem != null ? problem : "libturbojpeg could not be used by the workers.")
                + " JPEGs went through the JDK's slower codec.");
        err.flush();
      }
      stdout.printf(
          Locale.ROOT,
          "Filtered %d of %d images with %s in %.2f s: %.1f images/s (%s pool, %d workers%s)."
              + " %d failed. Output in %s%n",
          done,
          total,
          filter,
          seconds,
          done / Math.max(seconds, 1e-9),
          pool.name().toLowerCase(Locale.ROOT),
          poolSize,
          jpegCodecs.isEmpty() ? "" : ", " + String.join(" and ", jpegCodecs),
          failures.size(),
          out);
      stdout.flush();
    }
    finished.countDown();
    return failures.isEmpty() ? Main.OK : Main.SOME_FAILED;
  }

  /**
   * Submits the job. On the process pool the pool's own task timeout stops it; on the thread pool
   * an alarm set when the job starts cancels its future, which interrupts the thread (a job checks
   * before it writes) and reports the image at once, even if the thread stays stuck.
   */
  private TaskFuture<ImageJob.Done> submit(
      Pool workersPool, ImageJob job, ScheduledExecutorService alarms) {
    if (alarms == null) {
      return workersPool.submit(job::run);
    }
    CompletableFuture<TaskFuture<ImageJob.Done>> self = new CompletableFuture<>();
    TaskFuture<ImageJob.Done> future =
        workersPool.submit(
            () -> {
              ScheduledFuture<?> alarm =
                  alarms.schedule(
                      () -> self.thenAccept(this::abandon),
                      timeout.toNanos(),
                      TimeUnit.NANOSECONDS);
              try {
                return job.run();
              } finally {
                alarm.cancel(false);
              }
            });
    self.complete(future);
    return future;
  }

  private void abandon(TaskFuture<ImageJob.Done> future) {
    abandoned.add(future);
    if (!future.cancel(true)) {
      abandoned.remove(future);
    }
  }

  private static ScheduledExecutorService alarms() {
    return Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("jfutures-image-timeout").factory());
  }

  /** Stops the pool after an interrupt, waiting a little for running images to end. */
  private static void stop(Pool workersPool) {
    Thread stopping = Thread.ofPlatform().daemon().start(() -> workersPool.shutdown(true, true));
    try {
      stopping.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many outputs this run wrote: those whose file is not the one their name held before. */
  private static int written(List<Planned> planned) {
    int written = 0;
    for (Planned p : planned) {
      Object now = fileKey(Path.of(p.job().output()));
      if (now != null && !now.equals(p.outputBefore())) {
        written++;
      }
    }
    return written;
  }

  /** The identity of the file at {@code path} (not following a link), or null if none. */
  private static Object fileKey(Path path) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attributes.fileKey() != null
          ? attributes.fileKey()
          : List.of(attributes.lastModifiedTime(), attributes.size());
    } catch (IOException e) {
      return null;
    }
  }

  private String tookTooLong(String what) {
    return "took longer than the --timeout of " + timeoutText() + "; " + what;
  }

  private String timeoutText() {
    String text = timeout.toString().substring(2).toLowerCase(Locale.ROOT);
    return text.isEmpty() ? "0s" : text;
  }

  /** Gives each source its output path, refusing clashes and overwriting an input. */
  private List<Planned> plan(List<ImageInputs.Source> sources, List<String> failures) {
    Set<Path> inputsSeen = new HashSet<>();
    for (ImageInputs.Source source : sources) {
      inputsSeen.add(ImageInputs.identity(source.path()));
    }
    Map<Path, String> outputs = new HashMap<>();
    Set<Path> folders = new HashSet<>();
    List<Planned> planned = new ArrayList<>(sources.size());
    ImageFiles.Format forced =
        switch (format) {
          case SAME -> null;
          case JPG -> ImageFiles.Format.JPEG;
          case PNG -> ImageFiles.Format.PNG;
        };
    for (ImageInputs.Source source : sources) {
      String input = source.path().toString();
      Path target = out.resolve(renamed(source.relativeName(), forced));
      Path key = ImageInputs.identity(target);
      String problem;
      if (inputsSeen.contains(key)) {
        problem = "its output " + target + " is an input; choose another --out or --format";
      } else if (outputs.containsKey(key)) {
        problem = "its output " + target + " is also the output of " + outputs.get(key);
      } else {
        problem = makeFolders(target.getParent(), folders);
      }
      if (problem != null) {
        failures.add(input + ": " + problem);
        err.println(printable("jfutures: " + input + ": " + problem));
        continue;
      }
      outputs.put(key, input);
      planned.add(
          new Planned(
              input,
              ImageJob.of(
                  source.path().toAbsolutePath().toString(),
                  target.toAbsolutePath().toString(),
                  filter,
                  forced,
                  quality,
                  codec,
                  maxPixels),
              fileKey(target)));
    }
    return planned;
  }

  /**
   * Creates the folders from {@code --out} down to {@code folder}, never through a symbolic link:
   * one planted in a shared output tree would send outputs elsewhere. Returns the problem, or null.
   */
  private String makeFolders(Path folder, Set<Path> made) {
    if (made.contains(folder)) {
      return null;
    }
    Path at = out;
    for (Path part : out.relativize(folder)) {
      at = at.resolve(part);
      if (part.toString().isEmpty() || made.contains(at)) {
        continue;
      }
      try {
        if (Files.isSymbolicLink(at)) {
          return at + " is a symbolic link; outputs are never written through one";
        }
        try {
          Files.createDirectory(at);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
            return at + " is in the way: it is not a folder";
          }
        }
      } catch (IOException e) {
        return "cannot create " + at + " (" + e.getMessage() + ")";
      }
      made.add(at);
    }
    return null;
  }

  private static Path renamed(Path relative, ImageFiles.Format format) {
    if (format == null) {
      return relative;
    }
    String name = relative.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return relative.resolveSibling(stem + "." + format.extension());
  }

  private Pool newPool(int size) {
    return switch (pool) {
      case PROCESS -> {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        String library = System.getProperty(TurboJpeg.LIBRARY_PROPERTY);
        if (library != null) {
          options.add("-D" + TurboJpeg.LIBRARY_PROPERTY + "=" + library);
        }
        ProcessPool.Builder builder =
            ProcessPool.builder().maxWorkers(size).jvmOptions(options.toArray(String[]::new));
        if (timeout.isPositive()) {
          builder.taskTimeout(timeout);
        }
        yield builder.build();
      }
      case THREAD -> ThreadPool.builder().maxWorkers(size).threadNamePrefix("images").build();
    };
  }

  /** The shutdown hook: stop everything, then wait for {@link #call()} to report. */
  private void interrupt() {
    interrupted = true;
    cancelAll();
    try {
      finished.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cancelAll() {
    for (TaskFuture<ImageJob.Done> future : running) {
      future.cancel(true);
    }
  }

  /** What went wrong with an image, for the user: never a Java class name. */
  private String reason(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof ImageException)) {
      if (cause instanceof TaskTimeoutException) {
        return tookTooLong("its worker was stopped");
      }
      if (cause instanceof WorkerCrashedException) {
        return cause.getMessage();
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

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

  /**
   * A line whose file names may come from anyone: control characters (a terminal's escape
   * sequences, a newline that forges a line of its own) become {@code ?}.
   */
  static String printable(String line) {
    return CONTROL.matcher(line).replaceAll("?");
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
