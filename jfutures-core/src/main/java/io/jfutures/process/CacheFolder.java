package io.jfutures.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The per-user folder that holds the workers' start-up caches. A JVM maps a cache's contents as
 * class data it trusts, so whoever can write a cache the user's workers load can run code as that
 * user: the folder must be the user's alone.
 *
 * <p>Where: {@code $XDG_CACHE_HOME/jfutures/cds} when that variable is an absolute path, else
 * {@code ~/.cache/jfutures/cds}, as freedesktop.org's base directory rules and most JDK tools
 * expect; only when home has no writable cache folder, {@code $TMPDIR/jfutures-USER/cds}.
 *
 * <p>Trust, checked every time, never assumed from a name: each folder from {@code jfutures} (or
 * {@code jfutures-USER}) down is created {@code 0700}, and an existing one must be a real folder
 * (not a symbolic link), owned by this user, and writable by nobody else; a cache file likewise
 * must be a regular file owned by this user that nobody else can write. Anything else means going
 * without a cache: workers start slower and nothing else changes, and the first refusal in a JVM is
 * logged once.
 *
 * <p>Size: caches are named {@code worker-CLASSPATH-VERSION.EXT}, {@code CLASSPATH} hashing the JDK
 * and class path entries and {@code VERSION} the jars' sizes and times and the options. When a new
 * one is made, the other versions of the same class path are removed (a rebuilt jar never meets its
 * old cache again), and beyond the {@value #KEEP} most recently used caches the rest go.
 */
final class CacheFolder {
  /** The most caches kept; at some 12 MB each this bounds the folder near 100 MB. */
  static final int KEEP = 8;

  private static final System.Logger LOG = System.getLogger("io.jfutures");
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final Set<PosixFilePermission> OTHERS_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private CacheFolder() {}

  /** This user's cache folder for workers, made if missing, or empty if none can be trusted. */
  static Optional<Path> forWorkers() {
    return locate(
        System.getenv(),
        System.getProperty("user.home"),
        System.getProperty("java.io.tmpdir"),
        System.getProperty("user.name"));
  }

  /** {@link #forWorkers()} from the given environment, for tests. */
  static Optional<Path> locate(Map<String, String> env, String home, String tmp, String user) {
    UserPrincipal me;
    try {
      me = Path.of(tmp).getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
    } catch (IOException | RuntimeException e) {
      refuse("cannot tell who user " + user + " is (" + e.getMessage() + ")");
      return Optional.empty();
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = null;
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      base = Path.of(xdg).resolve("jfutures");
    } else if (home != null && !home.isEmpty() && !home.equals("?")) {
      base = Path.of(home, ".cache", "jfutures");
    }
    if (base != null) {
      try {
        return Optional.of(privateFolders(base, me).resolve("cds")).filter(d -> made(d, me));
      } catch (NoPlaceException homeUnusable) {
        // a home without a writable cache folder (a service account, a read-only home)
      } catch (UntrustedException e) {
        refuse(e.getMessage());
        return Optional.empty();
      }
    }
    try {
      Path dir = privateFolders(Path.of(tmp, "jfutures-" + user), me).resolve("cds");
      return Optional.of(dir).filter(d -> made(d, me));
    } catch (NoPlaceException | UntrustedException e) {
      refuse(e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean made(Path dir, UserPrincipal me) {
    try {
      makePrivate(dir, me);
      return true;
    } catch (NoPlaceException | UntrustedException e) {
      refuse(e.getMessage());
      return false;
    }
  }

  /**
   * Makes {@code top} (and any missing parents, as the user's umask allows: those are shared
   * folders like {@code ~/.cache}) and checks that {@code top} is private to {@code me}.
   */
  private static Path privateFolders(Path top, UserPrincipal me)
      throws NoPlaceException, UntrustedException {
    try {
      Files.createDirectories(top.getParent());
    } catch (IOException | RuntimeException e) {
      throw new NoPlaceException();
    }
    makePrivate(top, me);
    return top;
  }

  private static void makePrivate(Path dir, UserPrincipal me)
      throws NoPlaceException, UntrustedException {
    try {
      try {
        if (Files.getFileAttributeView(dir.getParent(), PosixFileAttributeView.class) != null) {
          Files.createDirectory(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectory(dir);
        }
      } catch (FileAlreadyExistsException e) {
        // checked below, whoever made it
      }
      String problem = problem(dir, me, true);
      if (problem != null) {
        throw new UntrustedException(problem);
      }
    } catch (IOException e) {
      throw new NoPlaceException();
    }
  }

  /**
   * Whether a worker may load the cache {@code file}: exists, and nobody else could have made it.
   */
  static boolean trusted(Path file) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      UserPrincipal me =
          file.getFileSystem()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name"));
      String problem = problem(file, me, false);
      if (problem != null) {
        refuse(problem);
        return false;
      }
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
      return true;
    } catch (IOException | RuntimeException e) {
      refuse("cannot check " + file + " (" + e.getMessage() + ")");
      return false;
    }
  }

  /** What makes {@code path} untrustworthy, or null if nothing does. */
  private static String problem(Path path, UserPrincipal me, boolean folder) throws IOException {
    BasicFileAttributes basic =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (basic.isSymbolicLink()) {
      return path + " is a symbolic link";
    }
    if (folder ? !basic.isDirectory() : !basic.isRegularFile()) {
      return path + " is not a " + (folder ? "folder" : "regular file");
    }
    UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
    if (!owner.equals(me)) {
      return path + " belongs to " + owner.getName() + ", not to " + me.getName();
    }
    PosixFileAttributeView posix =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (posix != null) {
      PosixFileAttributes attributes = posix.readAttributes();
      if (attributes.permissions().stream().anyMatch(OTHERS_WRITE::contains)) {
        return path + " can be written by other users";
      }
    }
    return null;
  }

  /**
   * Removes the other versions of {@code keep}'s class path, then all but the {@value #KEEP} most
   * recently used caches. Files it cannot remove stay; a cache is an optimisation.
   */
  static void prune(Path dir, Path keep) {
    String name = keep.getFileName().toString();
    int dash = name.lastIndexOf('-');
    String sameClassPath = dash > 0 ? name.substring(0, dash + 1) : null;
    List<Path> caches = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "worker-*")) {
      for (Path file : files) {
        String other = file.getFileName().toString();
        if (file.equals(keep)) {
          continue;
        }
        if (isTraining(other)) {
          if (lastUsed(file).toInstant().isBefore(Instant.now().minus(Duration.ofDays(1)))) {
            Files.deleteIfExists(file); // left by a JVM that died while training
          }
          continue;
        }
        if (sameClassPath != null && other.startsWith(sameClassPath)) {
          Files.deleteIfExists(file);
        } else {
          caches.add(file);
        }
      }
      caches.sort(Comparator.comparing(CacheFolder::lastUsed).reversed());
      for (Path old : caches.subList(Math.min(caches.size(), KEEP - 1), caches.size())) {
        Files.deleteIfExists(old);
      }
    } catch (IOException | RuntimeException e) {
      // another JVM may be pruning too; what stays is removed next time
    }
  }

  /** A cache a worker is training now: {@code worker-...-VERSION.PID.aot}. */
  private static boolean isTraining(String name) {
    return name.chars().filter(c -> c == '.').count() > 1;
  }

  private static FileTime lastUsed(Path file) {
    try {
      return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static void refuse(String why) {
    if (WARNED.compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "jfutures: worker JVMs start without a start-up cache, since " + why);
    }
  }

  /** The folder cannot be made here; another place may do. */
  private static final class NoPlaceException extends Exception {
    private static final long serialVersionUID = 1L;

    NoPlaceException() {
      super("no place for a cache folder", null, false, false);
    }
  }

  /** A folder is there but is not this user's alone. */
  private static final class UntrustedException extends Exception {
    private static final long serialVersionUID = 1L;

    UntrustedException(String message) {
      super(message, null, false, false);
    }
  }
}
