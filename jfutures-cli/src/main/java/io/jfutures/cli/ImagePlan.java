package io.jfutures.cli;

import io.jfutures.cli.image.ImageFiles;
import io.jfutures.cli.image.ImageJob;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * What a run of {@code jfutures images} will do: each input image with its output path and its job.
 * Planning refuses an output that is an input or the output of another image, and creates the
 * output folders, never through a symbolic link; each refused image is reported, and the others are
 * planned.
 *
 * @param images the images to run, in the order found
 */
record ImagePlan(List<Planned> images) {
  /**
   * An image to process: where it came from, its job, and the identity of the file its output name
   * held before the run (null if none), by which a file this run wrote is told apart.
   */
  record Planned(String input, ImageJob job, Object outputBefore) {}

  /**
   * Plans {@code sources} into {@code out}, in {@code format} (null to keep each input's), with the
   * jobs {@code jobOf} makes from an input and an output path; tells {@code refused} of each image
   * it refuses, and why.
   */
  static ImagePlan make(
      List<ImageInputs.Source> sources,
      Path out,
      ImageFiles.Format format,
      BiFunction<Path, Path, ImageJob> jobOf,
      BiConsumer<String, String> refused) {
    Set<Path> inputsSeen = new HashSet<>();
    for (ImageInputs.Source source : sources) {
      inputsSeen.add(ImageInputs.identity(source.path()));
    }
    Map<Path, String> outputs = new HashMap<>();
    Set<Path> folders = new HashSet<>();
    List<Planned> planned = new ArrayList<>(sources.size());
    for (ImageInputs.Source source : sources) {
      String input = source.path().toString();
      Path target = out.resolve(renamed(source.relativeName(), format));
      Path key = ImageInputs.identity(target);
      String problem;
      if (inputsSeen.contains(key)) {
        problem = "its output " + target + " is an input; choose another --out or --format";
      } else if (outputs.containsKey(key)) {
        problem = "its output " + target + " is also the output of " + outputs.get(key);
      } else {
        problem = makeFolders(out, target.getParent(), folders);
      }
      if (problem != null) {
        refused.accept(input, problem);
        continue;
      }
      outputs.put(key, input);
      planned.add(
          new Planned(
              input,
              jobOf.apply(source.path().toAbsolutePath(), target.toAbsolutePath()),
              fileKey(target)));
    }
    return new ImagePlan(planned);
  }

  /** How many outputs were written: those whose file is not the one their name held before. */
  int written() {
    int written = 0;
    for (Planned p : images) {
      Object now = fileKey(Path.of(p.job().output()));
      if (now != null && !now.equals(p.outputBefore())) {
        written++;
      }
    }
    return written;
  }

  /** Removes the partial files that unfinished images may have left. */
  void removePartialFiles() {
    for (Planned p : images) {
      try {
        Files.deleteIfExists(p.job().partialFile());
      } catch (IOException ignored) {
        // a leftover partial file is hidden and named for what it is
      }
    }
  }

  /**
   * Creates the folders from {@code out} down to {@code folder}, never through a symbolic link: one
   * planted in a shared output tree would send outputs elsewhere. Returns the problem, or null.
   */
  private static String makeFolders(Path out, Path folder, Set<Path> made) {
    if (made.contains(folder)) {
      return null;
    }
    Path at = out;
    for (Path part : out.relativize(folder)) {
      at = at.resolve(part);
      if (part.toString().isEmpty() || made.contains(at)) {
        continue;
      }
      try {
        if (Files.isSymbolicLink(at)) {
          return at + " is a symbolic link; outputs are never written through one";
        }
        try {
          Files.createDirectory(at);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
            return at + " is in the way: it is not a folder";
          }
        }
      } catch (IOException e) {
        return "cannot create " + at + " (" + e.getMessage() + ")";
      }
      made.add(at);
    }
    return null;
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

  /** The identity of the file at {@code path} (not following a link), or null if none. */
  private static Object fileKey(Path path) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attributes.fileKey() != null
          ? attributes.fileKey()
          : List.of(attributes.lastModifiedTime(), attributes.size());
    } catch (IOException e) {
      return null;
    }
  }
}
