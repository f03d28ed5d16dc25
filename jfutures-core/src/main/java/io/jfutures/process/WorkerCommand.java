package io.jfutures.process;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
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
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath());
    command.add(WorkerMain.class.getName());
    return List.copyOf(command);
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
