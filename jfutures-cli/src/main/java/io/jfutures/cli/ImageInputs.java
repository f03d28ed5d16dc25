package io.jfutures.cli;

import io.jfutures.cli.image.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns the command line's inputs (files, directories, glob patterns) into the images to process,
 * each with the name its output keeps below the output folder.
 *
 * <p>A file keeps its own name; a file found in a directory or by a glob keeps its path relative to
 * that directory or to the glob's fixed leading part, so {@code --recursive} mirrors the tree. A
 * named file is taken whatever its extension (the content decides its format); files found in
 * directories are taken when their extension is {@code .jpg}, {@code .jpeg} or {@code .png}, and
 * hidden files and folders are skipped. The same file named twice is taken once. An input that
 * matches nothing becomes a {@link Problem}, reported without stopping the others.
 *
 * <p>Folders may hold anything, so a walk follows symbolic links to files and folders but enters
 * each real folder once: a link loop, a link to a folder inside the same tree (taken under its own
 * name), or a second link to a folder already walked, is skipped with a note instead of ending the
 * walk. The output folder is never walked below an input folder, so a second run over the same tree
 * does not take the first run's outputs as inputs.
 */
final class ImageInputs {
  private ImageInputs() {}

  /** An image to process and the relative name its output keeps. */
  record Source(Path path, Path relativeName) {}

  /** An input that gave no image, and why. */
  record Problem(String input, String reason) {}

  /** What the inputs gave: images, inputs that gave none, and notes on what a walk skipped. */
  record Found(List<Source> sources, List<Problem> problems, List<String> notes) {}

  /**
   * @param output the output folder, never walked below an input folder; null if none
   */
  static Found scan(List<String> inputs, boolean recursive, Path output) {
    Map<Path, Source> sources = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    Walk walk = new Walk(output == null ? null : identity(output));
    for (String input : inputs) {
      Path path = Path.of(input);
      List<Source> found;
      if (Files.isDirectory(path)) {
        found = walk.directory(path, recursive);
        if (found.isEmpty()) {
          problems.add(
              new Problem(
                  input,
                  "no .jpg, .jpeg or .png files in this folder"
                      + (recursive ? " or below it" : " (add --recursive to look below it)")));
        }
      } else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        found = List.of(new Source(path, path.getFileName()));
      } else if (isGlob(input)) {
        found = walk.glob(input, recursive);
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
    return new Found(List.copyOf(sources.values()), problems, List.copyOf(walk.notes));
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

  /** The walks of one scan: the real folders they entered, and what they skipped. */
  private static final class Walk {
    private final Path output;
    private final Set<Object> entered = new HashSet<>();
    private final Set<String> noted = new LinkedHashSet<>();
    private final List<String> notes = new ArrayList<>();

    Walk(Path output) {
      this.output = output;
    }

    List<Source> directory(Path dir, boolean recursive) {
      return files(
          dir,
          recursive ? Integer.MAX_VALUE : 1,
          file -> isImageName(file),
          file -> new Source(file, dir.relativize(file)));
    }

    /**
     * Files matching a glob pattern. The pattern's leading segments without wildcards name the
     * folder to search; {@code **} crosses folders, as do patterns with several segments.
     */
    List<Source> glob(String pattern, boolean recursive) {
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
      boolean here = root.equals(Path.of("."));
      return files(
          root,
          depth,
          file -> matcher.matches(root.relativize(file)),
          file -> new Source(here ? root.relativize(file) : file, root.relativize(file)));
    }

    /**
     * The regular files below {@code root} (links followed) that {@code wanted} accepts, in name
     * order, skipping hidden names, folders already entered and the output folder.
     */
    private List<Source> files(
        Path root, int depth, Predicate<Path> wanted, Function<Path, Source> source) {
      List<Path> found = new ArrayList<>();
      Path rootReal = identity(root);
      try {
        Files.walkFileTree(
            root,
            EnumSet.of(FileVisitOption.FOLLOW_LINKS),
            depth,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (!dir.equals(root)) {
                  if (dir.getFileName().toString().startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                  }
                  Path real = identity(dir);
                  if (real.equals(output)) {
                    note("the output folder " + dir + " is not taken as input");
                    return FileVisitResult.SKIP_SUBTREE;
                  }
                  if (Files.isSymbolicLink(dir) && real.startsWith(rootReal)) {
                    // Walked under its own name, which the outputs mirror, whatever the order.
                    note("skipped " + dir + ": a link to " + real + ", taken under that name");
                    return FileVisitResult.SKIP_SUBTREE;
                  }
                }
                Object key = attributes.fileKey() != null ? attributes.fileKey() : identity(dir);
                if (!entered.add(key) && !dir.equals(root)) {
                  note("skipped " + dir + ": already walked under another name (a link)");
                  return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()
                    && !file.getFileName().toString().startsWith(".")
                    && wanted.test(file)) {
                  found.add(file);
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (e instanceof FileSystemLoopException) {
                  note("skipped " + file + ": a symbolic link loop");
                } else {
                  note("skipped " + file + ": cannot read it (" + ImageFiles.reason(e) + ")");
                }
                return FileVisitResult.CONTINUE;
              }
            });
      } catch (IOException | UncheckedIOException e) {
        note("stopped walking " + root + ": " + e.getMessage());
      }
      found.sort(Comparator.comparing(Path::toString));
      return found.stream().map(source).toList();
    }

    private void note(String note) {
      if (noted.add(note)) {
        notes.add(note);
      }
    }
  }
}
