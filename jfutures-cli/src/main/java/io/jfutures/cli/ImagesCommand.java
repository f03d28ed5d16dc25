package io.jfutures.cli;

import com.hazelcast.client.config.ClientConfig;
import io.jfutures.Pool;
import io.jfutures.ProcessPool;
import io.jfutures.ThreadPool;
import io.jfutures.cli.image.Filter;
import io.jfutures.cli.image.ImageFiles;
import io.jfutures.cli.image.ImageIoJpeg;
import io.jfutures.cli.image.ImageJob;
import io.jfutures.cli.image.JpegCodec;
import io.jfutures.cli.image.LibJpeg;
import io.jfutures.cli.image.TurboJpeg;
import io.jfutures.hazelcast.ClusterPool;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jfutures images}: the article's image job. The command checks its options, scans the
 * inputs ({@link ImageInputs}), plans each image's output ({@link ImagePlan}), runs the plan on a
 * {@link ProcessPool}, a {@link ThreadPool} or a cluster's {@link ClusterPool} ({@link ImageRun},
 * which also handles timeouts and Ctrl-C) and prints the summary.
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
      "  jfutures images photos --out edges --cluster 10.0.0.11 --cluster-name studio",
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
      names = "--cluster",
      split = ",",
      paramLabel = "HOST[:PORT]",
      description =
          "Run on the members of a jfutures cluster ('jfutures cluster member') instead of this"
              + " machine, reached at any of these addresses (a HOST alone means its ports"
              + " 5701-5703). Images are read and written here; their bytes travel.")
  List<String> cluster;

  @Option(
      names = "--cluster-name",
      paramLabel = "NAME",
      description =
          "The cluster's name, as its members were given it (default: "
              + ClusterPool.DEFAULT_CLUSTER_NAME
              + ").")
  String clusterName;

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
      names = "--insights",
      description =
          "After the summary, show where the workers' time went: start-up, work, waiting and idle"
              + " time per worker, and the slowest images.")
  boolean insights;

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
      paramLabel = "auto|turbojpeg|libjpeg|imageio",
      defaultValue = "auto",
      description =
          "JPEG codec: the system's libjpeg-turbo (fast, Pillow's own) through libturbojpeg, the"
              + " same through libjpeg.so.62 (process pool only), the JDK's ImageIO (needs nothing"
              + " installed), or auto: the first of these the system has (default:"
              + " ${DEFAULT-VALUE}).")
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

  private PrintWriter err;

  @Override
  public Integer call() {
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
    ImageRun.Kind kind = cluster != null ? ImageRun.Kind.CLUSTER : runKind();
    if (cluster != null) {
      checkCluster();
    } else if (clusterName != null) {
      throw usage("--cluster-name needs --cluster: the addresses of the cluster's members");
    }
    if (codec == JpegCodec.Choice.TURBOJPEG
        && kind != ImageRun.Kind.CLUSTER
        && TurboJpeg.libraryProblem() != null) {
      throw usage("--codec turbojpeg: " + TurboJpeg.libraryProblem());
    }
    if (codec == JpegCodec.Choice.LIBJPEG && kind != ImageRun.Kind.PROCESS) {
      throw usage("--codec libjpeg: " + JpegCodec.LIBJPEG_NEEDS_PROCESS);
    }
    if (codec == JpegCodec.Choice.LIBJPEG && LibJpeg.libraryProblem() != null) {
      throw usage("--codec libjpeg: " + LibJpeg.libraryProblem());
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
    ImageFiles.Format forced =
        switch (format) {
          case SAME -> null;
          case JPG -> ImageFiles.Format.JPEG;
          case PNG -> ImageFiles.Format.PNG;
        };
    ImagePlan plan =
        ImagePlan.make(
            found.sources(),
            out,
            forced,
            (input, output) ->
                ImageJob.of(
                    input.toString(),
                    output.toString(),
                    filter,
                    forced,
                    quality,
                    codec,
                    maxPixels,
                    kind == ImageRun.Kind.PROCESS),
            (input, problem) -> {
              failures.add(input + ": " + problem);
              err.println(printable("jfutures: " + input + ": " + problem));
            });
    int cores = Runtime.getRuntime().availableProcessors();
    if (workers > cores && !quiet) {
      err.printf(
          "jfutures: note: --workers %d is more than this machine's %d CPUs; more workers than"
              + " CPUs are unlikely to help.%n",
          workers, cores);
    }
    int poolSize = Math.max(1, Math.min(workers, plan.images().size()));
    err.flush();
    Pool runOn;
    if (kind == ImageRun.Kind.CLUSTER) {
      try {
        runOn = connect();
      } catch (IllegalStateException e) {
        err.println(printable("jfutures: --cluster: " + e.getMessage()));
        err.flush();
        return Main.SOME_FAILED;
      }
    } else {
      runOn = newPool(poolSize);
    }
    Progress progress =
        Progress.create(err, filter.name(), plan.images().size(), quiet, Progress.onTerminal());
    ImageRun run = new ImageRun(plan, runOn, kind, timeout, progress);
    int total = found.sources().size() + found.problems().size();
    return run.run(failures, result -> report(result, total, kind));
  }

  private ImageRun.Kind runKind() {
    return pool == PoolKind.THREAD ? ImageRun.Kind.THREAD : ImageRun.Kind.PROCESS;
  }

  /** Refuses what a cluster run cannot do, before anything is read. */
  private void checkCluster() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    if (parsed.hasMatchedOption("--pool")) {
      throw usage(
          "--pool and --cluster exclude each other: --cluster runs on the cluster's members");
    }
    if (parsed.hasMatchedOption("--workers")) {
      throw usage(
          "--workers does not apply to --cluster: each member runs as many images at once as it"
              + " has CPUs");
    }
    if (cluster.isEmpty()) {
      throw usage("--cluster needs at least one member's address");
    }
    for (String address : cluster) {
      String problem = ClusterCommand.addressProblem(address.strip());
      if (problem != null) {
        throw usage("--cluster: " + problem);
      }
    }
    if (clusterName != null && clusterName.isBlank()) {
      throw usage("--cluster-name must not be blank");
    }
  }

  /**
   * A pool on the cluster at {@code --cluster}, as its client. An image whose member is lost runs
   * again on another, up to three times.
   *
   * @throws IllegalStateException saying that no member answered
   */
  private Pool connect() {
    ClientConfig config = new ClientConfig();
    config.setClusterName(clusterName != null ? clusterName : ClusterPool.DEFAULT_CLUSTER_NAME);
    for (String address : cluster) {
      config.getNetworkConfig().addAddress(address.strip());
    }
    return ClusterPool.builder().retries(CLUSTER_RETRIES).connect(config);
  }

  /** How many times an image whose member was lost runs again on another. */
  static final int CLUSTER_RETRIES = 3;

  /** Prints the summary of {@code result}; returns the exit code. */
  private int report(ImageRun.Result result, int total, ImageRun.Kind kind) {
    PrintWriter stdout = spec.commandLine().getOut();
    if (result.interrupted()) {
      err.printf(
          "jfutures: interrupted: %d of %d images written in %.2f s; unfinished images were not"
              + " written.%n",
          result.done(), total, result.seconds());
      err.flush();
      return Main.INTERRUPTED;
    }
    if (!quiet) {
      if (codec == JpegCodec.Choice.AUTO && result.jpegCodecs().contains(ImageIoJpeg.NAME)) {
        String problem = TurboJpeg.libraryProblem();
        if (kind == ImageRun.Kind.CLUSTER) {
          problem = "a member of the cluster has no libturbojpeg (Debian's libturbojpeg0).";
        } else if (kind == ImageRun.Kind.PROCESS && LibJpeg.libraryProblem() != null) {
          problem = LibJpeg.libraryProblem() + "; " + problem;
        }
        err.println(
            "jfutures: note: "
                + (problem != null ? problem : "libjpeg-turbo could not be used by the workers.")
                + " JPEGs went through the JDK's slower codec.");
        err.flush();
      }
      stdout.printf(
          Locale.ROOT,
          "Filtered %d of %d images with %s in %.2f s: %.1f images/s (%s pool, %d workers%s)."
              + " %d failed. Output in %s%n",
          result.done(),
          total,
          filter,
          result.seconds(),
          result.done() / Math.max(result.seconds(), 1e-9),
          kind.name().toLowerCase(Locale.ROOT),
          result.workers(),
          result.jpegCodecs().isEmpty() ? "" : ", " + String.join(" and ", result.jpegCodecs()),
          result.failures().size(),
          out);
      if (insights) {
        for (String line : result.insights().toString().split("\\R")) {
          stdout.println(printable(line));
        }
      }
      stdout.flush();
    }
    return result.failures().isEmpty() ? Main.OK : Main.SOME_FAILED;
  }

  private Pool newPool(int size) {
    return switch (pool) {
      case PROCESS -> {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        for (String property : List.of(TurboJpeg.LIBRARY_PROPERTY, LibJpeg.LIBRARY_PROPERTY)) {
          String library = System.getProperty(property);
          if (library != null) {
            options.add("-D" + property + "=" + library);
          }
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
