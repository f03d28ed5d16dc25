package io.jfutures.process;

import io.jfutures.remote.TaskLoaders;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The command line of a worker process: this JVM's own {@code java}, this JVM's class path (plus
 * its module path, which Surefire and modular launchers use, flattened onto the class path), the
 * pool's JVM options, and {@link WorkerMain}.
 *
 * <p>What the worker gets besides the user's options, and why: JVM log and VM output go to stderr,
 * so that a warning can never corrupt the protocol on stdout; an {@code OutOfMemoryError} ends the
 * worker at once, so that a heap in an unknown state never runs the next task, and the pool reports
 * the task's crash; the serial collector, unless the user chose a collector, since a worker runs
 * one task at a time and its GC threads would compete with the other workers; transparent huge
 * pages for its heap where Linux gives them only on request ({@code madvise} mode) and the user
 * said nothing of them, since a worker's heap is young and every first touch of a 4 KiB page is a
 * fault, which a map of many small results pays for on every page (docs/BENCHMARKS.md has the
 * figures).
 */
final class WorkerCommand {
  private WorkerCommand() {}

  /** The command line of the next worker, and the cache it shares or trains. */
  /**
   * @param errorFolder where the worker's JVM writes its fatal error log, {@code
   *     hs_err_pid<pid>.log}, if it crashes; null where the user chose, or no private folder exists
   */
  record Launch(List<String> command, Sharing sharing, Path errorFolder) {}

  static Launch build(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xlog:disable");
    command.add("-Xlog:all=warning:stderr");
    command.add("-XX:+DisplayVMOutputToStderr");
    command.add("-XX:+ExitOnOutOfMemoryError");
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"))) {
      command.add("-XX:+UseSerialGC");
    }
    if (HUGE_PAGES_ON_REQUEST
        && jvmOptions.stream().noneMatch(o -> o.contains("TransparentHugePages"))) {
      command.add("-XX:+UseTransparentHugePages");
    }
    Path cacheDir = CacheFolder.forWorkers().orElse(null);
    String own = ownLocation(cacheDir);
    String program = programPath(own);
    String classPath = own != null ? own : program;
    Sharing sharing = sharing(classPath, jvmOptions, cacheDir);
    command.addAll(sharing.options());
    command.addAll(jvmOptions);
    Path errorFolder = null;
    if (cacheDir != null && jvmOptions.stream().noneMatch(o -> o.contains("ErrorFile"))) {
      errorFolder = cacheDir;
      command.add("-XX:ErrorFile=" + errorFolder.resolve("hs_err_pid%p.log"));
    }
    if (own != null && !program.isEmpty()) {
      command.add("-D" + WorkerMain.PROGRAM_PATH + "=" + program);
    }
    command.add("-cp");
    command.add(classPath);
    command.add(WorkerMain.class.getName());
    return new Launch(List.copyOf(command), sharing, errorFolder);
  }

  /**
   * What a worker needs to share classes with its predecessors: options, and where a cache it
   * trains must be moved once the worker has exited cleanly (null if it trains none).
   */
  record Sharing(List<String> options, Path trainedCache, Path finalCache) {
    static final Sharing NONE = new Sharing(List.of(), null, null);
  }

  /** Whether this is Linux with transparent huge pages in {@code madvise} mode. */
  private static final boolean HUGE_PAGES_ON_REQUEST = hugePagesOnRequest();

  private static boolean hugePagesOnRequest() {
    try {
      return Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
          .contains("[madvise]");
    } catch (IOException | RuntimeException notLinux) {
      return false;
    }
  }

  /** Whether a worker of this JVM is training an AOT cache now: one at a time is enough. */
  private static final AtomicBoolean TRAINING = new AtomicBoolean();

  /** The copy of a nested jfutures jar that {@link #ownLocation} made, once made. */
  private static volatile String nestedJarCopy;

  /**
   * Class data sharing for the worker's classes. On JDK 25+ an AOT cache (JEP 514) also keeps the
   * linked classes and lambda forms that a worker's first task needs: the first worker trains it
   * into a file of its own (its exit takes about a second longer, once), the pool moves that file
   * into place, and later workers map it. On JDK 19-24 a dynamic archive does the same for classes
   * alone. One cache per JDK, class path and option set, in the user's private {@link CacheFolder}.
   * Caches accept only jars, so a class path with a directory (as under a build tool) goes without;
   * so does a user who set {@code -Xshare} or a cache of their own, and a machine where no folder
   * of the user's own can be had.
   */
  static Sharing sharing(String classPath, List<String> jvmOptions, Path dir) {
    int feature = Runtime.version().feature();
    if (feature < 19
        || jvmOptions.stream()
            .anyMatch(
                o -> o.startsWith("-Xshare") || o.contains("SharedArchive") || o.contains("AOT"))) {
      return Sharing.NONE;
    }
    // The class path names the cache; each jar's size and time are its version: a rebuilt jar
    // must never meet a cache of the old one.
    StringBuilder jars = new StringBuilder();
    StringBuilder versions = new StringBuilder();
    for (String entry : classPath.split(File.pathSeparator)) {
      File jar = new File(entry);
      if (!entry.endsWith(".jar") || !jar.isFile()) {
        return Sharing.NONE;
      }
      jars.append(jar.getAbsolutePath()).append(';');
      versions.append(jar.length()).append(':').append(jar.lastModified()).append(';');
    }
    if (dir == null) {
      return Sharing.NONE;
    }
    try {
      String name =
          "worker-"
              + hash(System.getProperty("java.home"), jars.toString())
              + "-"
              + hash(
                  System.getProperty("java.vm.version"),
                  versions.toString(),
                  String.join("\u0000", jvmOptions));
      if (feature < 25) {
        Path archive = dir.resolve(name + ".jsa");
        if (!CacheFolder.trusted(archive)) {
          if (Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) {
            return Sharing.NONE;
          }
          CacheFolder.prune(dir, archive);
        }
        return new Sharing(
            List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive"),
            null,
            null);
      }
      Path cache = dir.resolve(name + ".aot");
      if (CacheFolder.trusted(cache)) {
        return new Sharing(List.of("-XX:AOTCache=" + cache), null, null);
      }
      if (Files.exists(cache, LinkOption.NOFOLLOW_LINKS) || !TRAINING.compareAndSet(false, true)) {
        return Sharing.NONE;
      }
      CacheFolder.prune(dir, cache);
      Path trained = dir.resolve(name + "." + ProcessHandle.current().pid() + ".aot");
      return new Sharing(
          List.of("-XX:AOTCacheOutput=" + trained, "-Xlog:aot*=error:stderr"), trained, cache);
    } catch (NoSuchAlgorithmException | RuntimeException e) {
      return Sharing.NONE;
    }
  }

  private static String hash(String... parts) throws NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String part : parts) {
      sha.update(part.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 8);
  }

  /**
   * Whether a line on a training worker's stderr is the JVM's own account of building the cache
   * (JDK 25 prints it unconditionally, also from the child JVM that assembles the cache): every
   * such line names the cache file, which nothing else in the worker knows.
   */
  static boolean isTrainingReport(Sharing sharing, String line) {
    return sharing.trainedCache() != null
        && line.contains(sharing.trainedCache().getFileName().toString());
  }

  /** After a training worker has exited: keep its cache if it wrote one, and let another train. */
  static void trainingEnded(Sharing sharing, boolean cleanExit) {
    try {
      if (cleanExit && Files.isRegularFile(sharing.trainedCache())) {
        Files.move(
            sharing.trainedCache(),
            sharing.finalCache(),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.deleteIfExists(sharing.trainedCache());
      }
    } catch (IOException | RuntimeException e) {
      // a cache is an optimisation; the next worker trains again
    } finally {
      try {
        Files.deleteIfExists(Path.of(sharing.trainedCache() + ".config"));
      } catch (IOException | RuntimeException leftover) {
        // the JVM removes it itself when training completes
      }
      TRAINING.set(false);
    }
  }

  /**
   * This JVM's module and class path entries, absolute, as a class path: where a worker's own
   * loader finds the program's classes first (the fast path), before it asks the pool. Without
   * {@code own}, jfutures' location, which then leads them.
   */
  static String programPath(String own) {
    Set<String> entries = new LinkedHashSet<>();
    for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
      String value = System.getProperty(property);
      if (value != null) {
        for (String entry : value.split(File.pathSeparator)) {
          if (!entry.isBlank()) {
            entries.add(absolute(entry));
          }
        }
      }
    }
    if (own != null) {
      entries.remove(own);
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String absolute(String entry) {
    try {
      return Path.of(entry).toAbsolutePath().normalize().toString();
    } catch (RuntimeException notAPath) {
      return entry;
    }
  }

  /**
   * The jar or folder that holds jfutures' own classes: where they were loaded from when that is a
   * file or folder, else (a jar nested in another, as Spring Boot packs them) a copy of that jar in
   * the user's cache folder {@code cacheDir}, named by its content so that a new build never meets
   * an old copy. Null when there is neither. The copy is made once per JVM: a later worker start
   * only checks that it is still there.
   */
  static String ownLocation(Path cacheDir) {
    String copied = nestedJarCopy;
    if (copied != null && CacheFolder.trusted(Path.of(copied))) {
      return copied;
    }
    try {
      CodeSource source = WorkerMain.class.getProtectionDomain().getCodeSource();
      if (source != null && source.getLocation() != null) {
        URI location = source.getLocation().toURI();
        if ("file".equals(location.getScheme())) {
          Path path = Path.of(location);
          return Files.exists(path) ? path.toString() : null;
        }
      }
      nestedJarCopy = cacheDir == null ? null : copyOfNestedJar(cacheDir);
      return nestedJarCopy;
    } catch (URISyntaxException | IOException | RuntimeException notAFile) {
      return null;
    }
  }

  /** The copy in the cache folder of the nested jar jfutures' classes came from, or null. */
  private static String copyOfNestedJar(Path dir) throws IOException {
    URL self = WorkerMain.class.getResource("WorkerMain.class");
    if (self == null || !(self.openConnection() instanceof JarURLConnection connection)) {
      return null;
    }
    byte[] jar;
    try (InputStream in = connection.getJarFileURL().openStream()) {
      jar = in.readNBytes(TaskLoaders.MAX_BYTES + 1);
    }
    if (jar.length > TaskLoaders.MAX_BYTES) {
      return null;
    }
    String digest;
    try {
      digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      return null;
    }
    Path copy = dir.resolve("jfutures-" + digest + ".jar");
    if (CacheFolder.trusted(copy)) {
      return copy.toString();
    }
    if (Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    Path partial =
        dir.resolve("jfutures-" + digest + "." + ProcessHandle.current().pid() + ".part");
    Files.write(partial, jar, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      Files.deleteIfExists(partial);
      if (!CacheFolder.trusted(copy)) {
        return null;
      }
    }
    return copy.toString();
  }
}
