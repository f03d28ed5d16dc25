package io.jfutures.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of a worker process: this JVM's own {@code java}, this JVM's class path (plus
 * its module path, which Surefire and modular launchers use, flattened onto the class path), the
 * pool's JVM options, and {@link WorkerMain}.
 *
 * <p>What the worker gets besides the user's options, and why: JVM log and VM output go to stderr,
 * so that a warning can never corrupt the protocol on stdout; an {@code OutOfMemoryError} ends the
 * worker at once, so that a heap in an unknown state never runs the next task, and the pool reports
 * the task's crash; the serial collector, unless the user chose a collector, since a worker runs
 * one task at a time and its GC threads would compete with the other workers.
 */
final class WorkerCommand {
  private WorkerCommand() {}

  static List<String> build(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xlog:disable");
    command.add("-Xlog:all=warning:stderr");
    command.add("-XX:+DisplayVMOutputToStderr");
    command.add("-XX:+ExitOnOutOfMemoryError");
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"))) {
      command.add("-XX:+UseSerialGC");
    }
    String classPath = classPath();
    command.addAll(sharedArchiveOptions(classPath, jvmOptions));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(WorkerMain.class.getName());
    return List.copyOf(command);
  }

  /**
   * Class data sharing for the worker's own classes (JDK 19+): the first worker of a given JDK,
   * class path and option set writes an archive when it exits, and later ones map it instead of
   * loading and verifying those classes again. Archives accept only jars, so a class path with a
   * directory (as under a build tool) goes without; so does a user who set {@code -Xshare} or an
   * archive of their own, and a machine where the cache folder cannot be made.
   */
  static List<String> sharedArchiveOptions(String classPath, List<String> jvmOptions) {
    if (Runtime.version().feature() < 19
        || jvmOptions.stream()
            .anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchive"))) {
      return List.of();
    }
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.endsWith(".jar") || !new File(entry).isFile()) {
        return List.of();
      }
    }
    try {
      Path dir =
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "jfutures-" + System.getProperty("user.name"),
              "cds");
      Files.createDirectories(dir);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part :
          List.of(
              System.getProperty("java.home"),
              System.getProperty("java.vm.version"),
              classPath,
              String.join("\u0000", jvmOptions))) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      String key = HexFormat.of().formatHex(sha.digest(), 0, 12);
      return List.of(
          "-XX:SharedArchiveFile=" + dir.resolve("worker-" + key + ".jsa"),
          "-XX:+AutoCreateSharedArchive");
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      return List.of();
    }
  }

  static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
      String value = System.getProperty(property);
      if (value != null) {
        for (String entry : value.split(File.pathSeparator)) {
          if (!entry.isBlank()) {
            entries.add(entry);
          }
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
