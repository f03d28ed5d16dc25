package io.jfutures.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jfutures} command. Exit codes: 0 when everything succeeded, 1 when some work failed, 2
 * on bad usage, 130 when interrupted (Ctrl-C).
 */
@Command(
    name = "jfutures",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Parallel processing made easy: the jfutures command line.",
    subcommands = {
      ImagesCommand.class,
      BenchCommand.class,
      ClusterCommand.class,
      CommandLine.HelpCommand.class
    },
    synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {
  static final int OK = 0;
  static final int SOME_FAILED = 1;
  static final int USAGE = 2;
  static final int INTERRUPTED = 130;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(code);
  }

  /** Runs the command with its output on {@code out} and {@code err}; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine line = new CommandLine(new Main());
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setOut(out);
    line.setErr(err);
    CommandLine.IParameterExceptionHandler standard = line.getParameterExceptionHandler();
    line.setParameterExceptionHandler(
        (e, arguments) -> {
          int code = standard.handleParseException(e, arguments);
          for (String argument : arguments) {
            if (argument.equals("--")) {
              break;
            }
            if (argument.length() > 1 && argument.startsWith("-") && isFile(argument)) {
              err.println(
                  "jfutures: '"
                      + argument
                      + "' is a file, but a name starting with '-' reads as an option: put '--'"
                      + " before such names (... --out DIR -- "
                      + argument
                      + "), or write it as ./"
                      + argument);
            }
          }
          return code;
        });
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("jfutures: " + e);
          e.printStackTrace(cmd.getErr());
          return SOME_FAILED;
        });
    return line.execute(args);
  }

  private static boolean isFile(String name) {
    try {
      return Files.exists(Path.of(name), LinkOption.NOFOLLOW_LINKS);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "jfutures " + (version == null ? "(development build)" : version),
        "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"
      };
    }
  }
}
