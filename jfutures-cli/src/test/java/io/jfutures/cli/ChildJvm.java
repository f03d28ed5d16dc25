package io.jfutures.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The start of a command line for a JVM of the CLI's own, as the tests start members and runs. */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * This JDK's {@code java}, with what this JVM grants Hazelcast ({@code --add-opens} and {@code
   * --add-exports}), then {@code options}; the caller adds the class path and main class.
   */
  static List<String> java(String... options) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> arg.startsWith("--add-"))
        .forEach(command::add);
    command.addAll(List.of(options));
    return command;
  }

  /**
   * {@code java OPTIONS -cp (this class path) io.jfutures.cli.Main}: a {@code jfutures} command
   * line, to which the caller adds the command and its arguments.
   */
  static List<String> jfutures(String... options) {
    List<String> command = java(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return command;
  }
}
