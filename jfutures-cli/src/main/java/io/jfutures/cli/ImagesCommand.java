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
import java.nio.file.Path;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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

  private record Planned(String input, ImageJob job) {}

  private PrintWriter err;
  private volatile boolean interrupted;
  private volatile List<TaskFuture<ImageJob.Done>> running = List.of();
  private final CountDownLatch finished = new CountDownLatch(1);

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
    if (codec == JpegCodec.Choice.TURBOJPEG && TurboJpeg.libraryProblem() != null) {
      throw usage("--codec turbojpeg: " + TurboJpeg.libraryProblem());
    }
    try {
      Files.createDirectories(out);
    } catch (FileAlreadyExistsException e) {
      throw usage("--out " + out + " is a file, not a folder");
    } catch (IOException e) {
      throw usage("--out " + out + ": cannot create the folder (" + e + ")");
    }

    ImageInputs.Found found = ImageInputs.scan(inputs, recursive);
    List<String> failures = new ArrayList<>();
    for (ImageInputs.Problem problem : found.problems()) {
      failures.add(problem.input() + ": " + problem.reason());
      err.println("jfutures: " + problem.input() + ": " + problem.reason());
    }
    List<Planned> planned = plan(found.sources(), failures);
    err.flush();

    long start = System.nanoTime();
    int done = 0;
    Set<String> jpegCodecs = new TreeSet<>();
    String task = filter.name();
    Thread hook = new Thread(this::interrupt, "jfutures-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Pool workersPool = newPool();
        Progress progress =
            Progress.create(err, task, planned.size(), quiet, Progress.onTerminal())) {
      List<TaskFuture<ImageJob.Done>> futures = new ArrayList<>(planned.size());
      Map<TaskFuture<ImageJob.Done>, Planned> byFuture = new HashMap<>();
      for (Planned p : planned) {
        TaskFuture<ImageJob.Done> future = workersPool.submit(p.job()::run);
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
          // interrupted: counted below
        } catch (ExecutionException e) {
          if (!interrupted) {
            String line = p.input() + ": " + reason(e.getCause());
            failures.add(line);
            progress.message("jfutures: " + line);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        progress.step();
      }
      if (interrupted) {
        workersPool.shutdown(true, true);
        for (Planned p : planned) {
          try {
            Files.deleteIfExists(p.job().partialFile());
          } catch (IOException ignored) {
            // a leftover partial file is hidden and named for what it is
          }
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for the line below
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = planned.size() + found.problems().size();
    if (interrupted) {
      err.printf(
          "jfutures: interrupted: %d of %d images done in %.2f s; unfinished images were not"
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
          workers,
          jpegCodecs.isEmpty() ? "" : ", " + String.join(" and ", jpegCodecs),
          failures.size(),
          out);
      stdout.flush();
    }
    finished.countDown();
    return failures.isEmpty() ? Main.OK : Main.SOME_FAILED;
  }

  /** Gives each source its output path, refusing clashes and overwriting an input. */
  private List<Planned> plan(List<ImageInputs.Source> sources, List<String> failures) {
    Set<Path> inputsSeen = new HashSet<>();
    for (ImageInputs.Source source : sources) {
      inputsSeen.add(ImageInputs.identity(source.path()));
    }
    Map<Path, String> outputs = new HashMap<>();
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
      String problem = null;
      if (inputsSeen.contains(key)) {
        problem = "its output " + target + " is an input; choose another --out or --format";
      } else if (outputs.containsKey(key)) {
        problem = "its output " + target + " is also the output of " + outputs.get(key);
      } else {
        try {
          Files.createDirectories(target.getParent());
        } catch (IOException e) {
          problem = "cannot create " + target.getParent() + " (" + e + ")";
        }
      }
      if (problem != null) {
        failures.add(input + ": " + problem);
        err.println("jfutures: " + input + ": " + problem);
        continue;
      }
      outputs.put(key, input);
      planned.add(
          new Planned(
              input,
              new ImageJob(
                  source.path().toAbsolutePath().toString(),
                  target.toAbsolutePath().toString(),
                  filter,
                  forced,
                  quality,
                  codec)));
    }
    return planned;
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

  private Pool newPool() {
    return switch (pool) {
      case PROCESS -> {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        String library = System.getProperty(TurboJpeg.LIBRARY_PROPERTY);
        if (library != null) {
          options.add("-D" + TurboJpeg.LIBRARY_PROPERTY + "=" + library);
        }
        yield ProcessPool.builder()
            .maxWorkers(workers)
            .jvmOptions(options.toArray(String[]::new))
            .build();
      }
      case THREAD -> ThreadPool.builder().maxWorkers(workers).threadNamePrefix("images").build();
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

  private static String reason(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof ImageException)) {
      if (cause instanceof WorkerCrashedException || cause instanceof TaskTimeoutException) {
        return cause.getMessage();
      }
      cause = cause.getCause();
    }
    if (cause != null) {
      return cause.getMessage();
    }
    Throwable root = failure.getCause() != null ? failure.getCause() : failure;
    return root.toString();
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
