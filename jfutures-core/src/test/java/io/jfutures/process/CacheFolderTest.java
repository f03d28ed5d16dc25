package io.jfutures.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the workers' start-up caches live, and that a folder or file someone else planted is never
 * used: a JVM trusts the class data it maps from a cache.
 */
class CacheFolderTest {
  @TempDir Path dir;

  static final String USER = System.getProperty("user.name");

  Optional<Path> locate(Path xdg, Path home, Path tmp) {
    return CacheFolder.locate(
        xdg == null ? Map.of() : Map.of("XDG_CACHE_HOME", xdg.toString()),
        home == null ? null : home.toString(),
        tmp.toString(),
        USER);
  }

  static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  static boolean isRoot() {
    return USER.equals("root");
  }

  @Test
  void theCacheLivesInTheUsersXdgCacheFolderCreatedPrivate() throws IOException {
    Path found = locate(dir.resolve("xdg"), dir.resolve("home"), dir.resolve("tmp")).orElseThrow();

    assertThat(found).isEqualTo(dir.resolve("xdg/jfutures/cds"));
    assertThat(permissions(dir.resolve("xdg/jfutures"))).isEqualTo("rwx------");
    assertThat(permissions(found)).isEqualTo("rwx------");
  }

  @Test
  void withoutXdgItIsUnderHomesDotCache() {
    assertThat(locate(null, dir.resolve("home"), dir.resolve("tmp")))
        .contains(dir.resolve("home/.cache/jfutures/cds"));
  }

  @Test
  void aHomeThatCannotHoldACacheFallsBackToAPrivateTempFolder() throws IOException {
    Path home = Files.createFile(dir.resolve("home-is-a-file"));

    assertThat(locate(null, home, dir.resolve("tmp")))
        .contains(dir.resolve("tmp/jfutures-" + USER + "/cds"));
    assertThat(permissions(dir.resolve("tmp/jfutures-" + USER))).isEqualTo("rwx------");
  }

  @Test
  void aFolderThatOthersCanWriteIsRefusedNotRepaired() throws IOException {
    Path planted = Files.createDirectories(dir.resolve("tmp/jfutures-" + USER));
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path home = Files.createFile(dir.resolve("home-is-a-file"));

    assertThat(locate(null, home, dir.resolve("tmp"))).isEmpty();
    assertThat(permissions(planted)).isEqualTo("rwxrwxrwx");
  }

  @Test
  void aSymbolicLinkPlantedWhereTheFolderGoesIsRefused() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve("attacker"));
    Files.createDirectories(dir.resolve("xdg"));
    Files.createSymbolicLink(dir.resolve("xdg/jfutures"), elsewhere);

    assertThat(locate(dir.resolve("xdg"), null, dir.resolve("tmp"))).isEmpty();
    try (Stream<Path> inside = Files.list(elsewhere)) {
      assertThat(inside).isEmpty();
    }
  }

  @Test
  void aFolderOwnedByAnotherUserIsRefused() throws IOException {
    assumeTrue(isRoot(), "needs root to give a folder to another user");
    Path planted = Files.createDirectories(dir.resolve("tmp/jfutures-" + USER));
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwx------"));
    UserPrincipal nobody =
        planted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(planted, nobody);
    Path home = Files.createFile(dir.resolve("home-is-a-file"));

    assertThat(locate(null, home, dir.resolve("tmp"))).isEmpty();
  }

  @Test
  void aCacheFileOthersCouldHaveWrittenIsNotLoaded() throws IOException {
    Path folder = locate(dir.resolve("xdg"), null, dir.resolve("tmp")).orElseThrow();
    Path mine = Files.write(folder.resolve("worker-a-1.aot"), new byte[] {1});
    Path writable = Files.write(folder.resolve("worker-b-1.aot"), new byte[] {1});
    Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rw-rw-rw-"));
    Path link = Files.createSymbolicLink(folder.resolve("worker-c-1.aot"), mine);

    assertThat(CacheFolder.trusted(mine)).isTrue();
    assertThat(CacheFolder.trusted(writable)).isFalse();
    assertThat(CacheFolder.trusted(link)).isFalse();
    assertThat(CacheFolder.trusted(folder.resolve("worker-d-1.aot"))).isFalse();
  }

  @Test
  void oldVersionsOfAClassPathAndTheLeastRecentlyUsedCachesAreRemoved() throws IOException {
    Path folder = locate(dir.resolve("xdg"), null, dir.resolve("tmp")).orElseThrow();
    for (int i = 0; i < 12; i++) {
      Path other = Files.write(folder.resolve("worker-other" + i + "-1.aot"), new byte[] {1});
      Files.setLastModifiedTime(other, FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    Files.write(folder.resolve("worker-app-oldbuild.aot"), new byte[] {1});
    Path training = Files.write(folder.resolve("worker-app-new.4242.aot"), new byte[] {1});
    Path fresh = folder.resolve("worker-app-new.aot");

    CacheFolder.prune(folder, fresh);

    try (Stream<Path> left = Files.list(folder)) {
      List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names)
          .doesNotContain("worker-app-oldbuild.aot")
          .contains(training.getFileName().toString())
          .contains("worker-other11-1.aot", "worker-other5-1.aot")
          .doesNotContain("worker-other4-1.aot", "worker-other0-1.aot")
          .hasSize(CacheFolder.KEEP - 1 + 1);
    }
  }
}
