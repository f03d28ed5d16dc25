package io.jfutures.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns the command line's inputs (files, directories, glob patterns) into the images to process,
 * each with the name its output keeps below the output folder.
 *
 * <p>A file keeps its own name; a file found in a directory or by a glob keeps its path relative to
 * that directory or to the glob's fixed leading part, so {@code --recursive} mirrors the tree. A
 * named file is taken whatever its extension (the content decides its format); files found in
 * directories are taken when their extension is {@code .jpg}, {@code .jpeg} or {@code .png}, and
 * hidden files are skipped. The same file named twice is taken once. An input that matches nothing
 * becomes a {@link Problem}, reported without stopping the others.
 */
final class ImageInputs {
  private ImageInputs() {}

  /** An image to process and the relative name its output keeps. */
  record Source(Path path, Path relativeName) {}

  /** An input that gave no image, and why. */
  record Problem(String input, String reason) {}

  record Found(List<Source> sources, List<Problem> problems) {}

  static Found scan(List<String> inputs, boolean recursive) {
    Map<Path, Source> sources = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (String input : inputs) {
      Path path = Path.of(input);
      List<Source> found;
      if (Files.isDirectory(path)) {
        found = directory(path, recursive);
        if (found.isEmpty()) {
          problems.add(
              new Problem(
                  input,
                  "no .jpg, .jpeg or .png files in this folder"
                      + (recursive ? " or below it" : " (add --recursive to look below it)")));
        }
      } else if (Files.exists(path)) {
        found = List.of(new Source(path, path.getFileName()));
      } else if (isGlob(input)) {
        found = glob(input, recursive);
        if (found.isEmpty()) {
          problems.add(new Problem(input, "no file matches this pattern"));
        }
      } else {
        problems.add(new Problem(input, "no such file or directory"));
        found = List.of();
      }
      for (Source source : found) {
        sources.putIfAbsent(identity(source.path()), source);
      }
    }
    return new Found(List.copyOf(sources.values()), problems);
  }

  static boolean isImageName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return !name.startsWith(".")
        && (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png"));
  }

  /** The path that two names of the same file share. */
  static Path identity(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static boolean isGlob(String input) {
    return input.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  private static List<Source> directory(Path dir, boolean recursive) {
    try (Stream<Path> files =
        recursive ? Files.walk(dir, FileVisitOption.FOLLOW_LINKS) : Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(ImageInputs::isImageName)
          .filter(file -> !isHiddenBelow(dir, file))
          .sorted(Comparator.comparing(Path::toString))
          .map(file -> new Source(file, dir.relativize(file)))
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  private static boolean isHiddenBelow(Path dir, Path file) {
    for (Path part : dir.relativize(file)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Files matching a glob pattern. The pattern's leading segments without wildcards name the folder
   * to search; {@code **} crosses folders, as do patterns with several segments.
   */
  private static List<Source> glob(String pattern, boolean recursive) {
    Path whole = Path.of(pattern);
    Path base = whole.isAbsolute() ? whole.getRoot() : Path.of("");
    int fixed = 0;
    for (Path part : whole) {
      if (isGlob(part.toString())) {
        break;
      }
      base = base.resolve(part);
      fixed++;
    }
    if (fixed == whole.getNameCount()) {
      return List.of();
    }
    Path rest = whole.subpath(fixed, whole.getNameCount());
    String restText = rest.toString();
    int depth = restText.contains("**") || recursive ? Integer.MAX_VALUE : rest.getNameCount();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + restText);
    Path root = base.toString().isEmpty() ? Path.of(".") : base;
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root, depth, FileVisitOption.FOLLOW_LINKS)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> matcher.matches(root.relativize(file)))
          .filter(file -> !file.getFileName().toString().startsWith("."))
          .sorted(Comparator.comparing(Path::toString))
          .map(
              file ->
                  new Source(
                      root.equals(Path.of(".")) ? root.relativize(file) : file,
                      root.relativize(file)))
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }
}
