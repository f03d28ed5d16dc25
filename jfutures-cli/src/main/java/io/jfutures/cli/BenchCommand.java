package io.jfutures.cli;

import io.jfutures.Futures;
import io.jfutures.Pool;
import io.jfutures.ProcessPool;
import io.jfutures.TaskFailedException;
import io.jfutures.TaskFuture;
import io.jfutures.ThreadPool;
import io.jfutures.cli.image.Filter;
import io.jfutures.cli.image.ImageFiles;
import io.jfutures.cli.image.ImageJob;
import io.jfutures.cli.image.JpegCodec;
import io.jfutures.cli.image.RemoteImage;
import io.jfutures.hazelcast.ClusterPool;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jfutures bench}: the article's examples, each timed one after another and on a jfutures
 * pool in the same run, printed as a table. Wall-clock times of single runs: a demonstration, not a
 * benchmark (those are in jfutures-bench).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the article's examples one after another and on jfutures pools, and prints a table of"
          + " times and speed-ups.",
      ""
    })
final class BenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--latency",
      paramLabel = "DURATION",
      defaultValue = "PT2S",
      converter = DurationArgument.class,
      description = "How long each simulated API call takes, e.g. 2s or 500ms (default: 2s).")
  Duration latency;

  @Option(
      names = "--numbers",
      paramLabel = "N",
      defaultValue = "10000000",
      description = "How many numbers the square example maps (default: ${DEFAULT-VALUE}).")
  int numbers;

  @Option(
      names = "--photos",
      paramLabel = "DIR",
      defaultValue = "samples/photos",
      description =
          "Photographs for the image example; skipped when the folder has none (default:"
              + " ${DEFAULT-VALUE}).")
  Path photos;

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "N",
      description =
          "Workers for the process pools (default: the number of CPUs, ${DEFAULT-VALUE}).")
  int workers = Runtime.getRuntime().availableProcessors();

  static final class DurationArgument implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.startsWith("pt")) {
          return Duration.parse(v);
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(
              Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
      } catch (RuntimeException e) {
        // falls through to the message below
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration; write it like 2s or 500ms");
    }
  }

  private record Row(String example, double sequential, double parallel, String note) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (numbers < 1 || workers < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--numbers and --workers must be at least 1");
    }
    List<Row> rows = new ArrayList<>();
    rows.add(apiCalls());
    rows.add(squares());
    rows.add(riskyTasks());
    rows.addAll(images());
    out.printf("%-58s %12s %10s %9s%n", "example", "one by one", "jfutures", "speed-up");
    for (Row row : rows) {
      out.printf(
          Locale.ROOT,
          "%-58s %10.3f s %8.3f s %8.2fx%n",
          row.example(),
          row.sequential(),
          row.parallel(),
          row.sequential() / row.parallel());
      if (!row.note().isEmpty()) {
        out.println("    " + row.note());
      }
    }
    out.printf(
        "%d CPUs, Java %s. Single runs, pool start-up included.%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    out.flush();
    return Main.OK;
  }

  static String fetchData(String endpoint, Duration latency) throws InterruptedException {
    Thread.sleep(latency);
    return "Data from " + endpoint;
  }

  private Row apiCalls() throws Exception {
    List<String> endpoints = List.of("api/data1", "api/data2", "api/data3");
    Duration latency = this.latency;
    long t = System.nanoTime();
    for (String endpoint : endpoints) {
      fetchData(endpoint, latency);
    }
    double sequential = seconds(t);
    t = System.nanoTime();
    try (ThreadPool pool = ThreadPool.create(endpoints.size())) {
      List<TaskFuture<String>> futures = new ArrayList<>();
      for (String endpoint : endpoints) {
        futures.add(pool.submit(() -> fetchData(endpoint, latency)));
      }
      for (TaskFuture<String> future : Futures.asCompleted(futures)) {
        future.result();
      }
    }
    return new Row(
        "fetch_data x3 (" + latency.toMillis() + " ms each), ThreadPool(3)",
        sequential,
        seconds(t),
        "");
  }

  static long square(int n) {
    return (long) n * n;
  }

  private Row squares() {
    List<Integer> input = IntStream.range(0, numbers).boxed().toList();
    long t = System.nanoTime();
    List<Long> one = new ArrayList<>(input.size());
    for (Integer n : input) {
      one.add(square(n));
    }
    double sequential = seconds(t);
    t = System.nanoTime();
    List<Long> results;
    try (ProcessPool pool = ProcessPool.create(workers)) {
      results = pool.map(BenchCommand::square, input).toList();
    }
    double parallel = seconds(t);
    if (!results.equals(one)) {
      throw new IllegalStateException("the pool's squares differ from the loop's");
    }
    return new Row(
        String.format(Locale.ROOT, "map(square) over %,d ints, ProcessPool()", numbers),
        sequential,
        parallel,
        "a multiplication is far cheaper than moving its number to another JVM and back: the"
            + " loop wins, as it does in Python");
  }

  static int riskyTask(int x) {
    if (x == 5) {
      throw new IllegalArgumentException("Bad number!");
    }
    return x * 2;
  }

  private Row riskyTasks() {
    int errors = 0;
    long t = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      try {
        riskyTask(i);
      } catch (IllegalArgumentException e) {
        errors++;
      }
    }
    double sequential = seconds(t);
    int caught = 0;
    t = System.nanoTime();
    try (ThreadPool pool = ThreadPool.create(4)) {
      List<TaskFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int x = i;
        futures.add(pool.submit(() -> riskyTask(x)));
      }
      for (TaskFuture<Integer> future : Futures.asCompleted(futures)) {
        try {
          future.result();
        } catch (TaskFailedException e) {
          caught++;
        }
      }
    }
    return new Row(
        "risky_task x10, one raises, ThreadPool(4)",
        sequential,
        seconds(t),
        "errors caught: " + errors + " one by one, " + caught + " on the pool");
  }

  /**
   * The image job one by one, on a process pool, and on an embedded cluster (whose member gets each
   * photo's bytes and sends the output's back to be written here, as {@code images --cluster}
   * does); no rows when there are no photos.
   */
  private List<Row> images() throws IOException {
    List<Path> files;
    if (!Files.isDirectory(photos)) {
      return List.of();
    }
    try (Stream<Path> listed = Files.list(photos)) {
      files =
          listed
              .filter(ImageInputs::isImageName)
              .sorted(Comparator.comparing(Path::toString))
              .toList();
    }
    if (files.isEmpty()) {
      return List.of();
    }
    Path scratch = Files.createTempDirectory("jfutures-bench");
    try {
      List<ImageJob> jobs = new ArrayList<>();
      List<ImageJob> isolated = new ArrayList<>();
      for (Path file : files) {
        for (boolean inWorker : new boolean[] {false, true}) {
          (inWorker ? isolated : jobs)
              .add(
                  ImageJob.of(
                      file.toAbsolutePath().toString(),
                      scratch.resolve(file.getFileName()).toString(),
                      Filter.CONTOUR,
                      null,
                      75,
                      JpegCodec.Choice.AUTO,
                      ImageFiles.DEFAULT_MAX_PIXELS,
                      inWorker));
        }
      }
      Set<String> codecs = new TreeSet<>();
      long t = System.nanoTime();
      for (ImageJob job : jobs) {
        codecs.add(job.run().jpegCodec() + " in this JVM");
      }
      double sequential = seconds(t);
      t = System.nanoTime();
      try (Pool pool =
          ProcessPool.builder()
              .maxWorkers(workers)
              .jvmOptions("--enable-native-access=ALL-UNNAMED")
              .build()) {
        List<TaskFuture<ImageJob.Done>> futures = new ArrayList<>();
        for (ImageJob job : isolated) {
          futures.add(pool.submit(job));
        }
        for (TaskFuture<ImageJob.Done> future : futures) {
          codecs.add(future.result().jpegCodec() + " in the workers");
        }
      }
      Row processes =
          new Row(
              "CONTOUR on "
                  + files.size()
                  + " photos in "
                  + photos
                  + ", ProcessPool("
                  + workers
                  + ")",
              sequential,
              seconds(t),
              "codec: " + String.join(", ", codecs));
      codecs.clear();
      t = System.nanoTime();
      try (Pool pool = ClusterPool.embedded()) {
        List<TaskFuture<ImageJob.Filtered>> futures = new ArrayList<>();
        for (ImageJob job : jobs) {
          futures.add(pool.submit(new RemoteImage(job, job.readInput(), Duration.ZERO)));
        }
        for (int i = 0; i < futures.size(); i++) {
          ImageJob.Filtered filtered = futures.get(i).result();
          jobs.get(i).write(filtered.encoded());
          codecs.add(filtered.done().jpegCodec() + " on the member");
        }
      }
      Row cluster =
          new Row(
              "the same on ClusterPool.embedded(), bytes through the member",
              sequential,
              seconds(t),
              "codec: " + String.join(", ", codecs));
      return List.of(processes, cluster);
    } finally {
      try (Stream<Path> left = Files.walk(scratch)) {
        left.sorted(Comparator.reverseOrder()).forEach(BenchCommand::delete);
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
