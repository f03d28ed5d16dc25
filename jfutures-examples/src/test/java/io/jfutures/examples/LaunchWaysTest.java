package io.jfutures.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small program on a {@code ProcessPool}, launched the ways Java programs are: as a Spring Boot
 * jar, through {@code mvn exec:java}, typed at the jshell prompt, and as a test under the JUnit
 * console launcher. In none of them does the worker's class path hold the program's classes, so
 * each needs them to travel. Each builds with this repository's Maven from Maven Central, so they
 * run only with {@code -Plaunchers}.
 */
@Tag("launchers")
class LaunchWaysTest {
  private static final String PROGRAM =
      """
      package demo;

      import io.jfutures.ProcessPool;
      import java.io.Serializable;
      import java.util.List;

      public class Main {
        record Square(int n, long square) implements Serializable {}

        public static void main(String[] args) {
          long self = ProcessHandle.current().pid();
          try (ProcessPool pool = ProcessPool.create(2)) {
            System.out.println("map " + pool.map((Integer n) -> new Square(n, (long) n * n),
                List.of(1, 2, 3)).toList());
            System.out.println("elsewhere " + (pool.submit(() -> ProcessHandle.current().pid())
                .result() != self));
          }
        }
      }
      """;

  private static final String MAP =
      "map [Square[n=1, square=1], Square[n=2, square=4], Square[n=3," + " square=9]]";

  private static Path root;
  private static Path coreJar;
  private static String version;
  private static Path javaHome;

  @BeforeAll
  static void installTheCoreJar() throws Exception {
    root = Path.of(System.getProperty("user.dir")).getParent();
    try (Stream<Path> jars = Files.list(root.resolve("jfutures-core/target"))) {
      coreJar =
          jars.filter(
                  p -> p.getFileName().toString().matches("jfutures-core-[^-]+(-SNAPSHOT)?\\.jar"))
              .max(Comparator.comparing(p -> p.toFile().lastModified()))
              .orElseThrow(() -> new IllegalStateException("build jfutures-core first"));
    }
    String name = coreJar.getFileName().toString();
    version = name.substring("jfutures-core-".length(), name.length() - ".jar".length());
    javaHome = Path.of(System.getProperty("java.home"));
    Run install =
        run(
            root,
            maven(
                "install:install-file",
                "-Dfile=" + coreJar,
                "-DgroupId=io.jfutures",
                "-DartifactId=jfutures-core",
                "-Dversion=" + version,
                "-Dpackaging=jar"));
    assertThat(install.code()).as(install.output()).isZero();
  }

  @Test
  void aSpringBootJar(@TempDir Path dir) throws Exception {
    writeProject(
        dir,
        """
        <build><plugins><plugin>
          <groupId>org.springframework.boot</groupId>
          <artifactId>spring-boot-maven-plugin</artifactId>
          <version>4.0.7</version>
          <configuration><mainClass>demo.Main</mainClass></configuration>
          <executions><execution><goals><goal>repackage</goal></goals></execution></executions>
        </plugin></plugins></build>
        """);
    Run build = run(dir, maven("package"));
    assertThat(build.code()).as(build.output()).isZero();
    Run app = run(dir, List.of(java("java"), "-jar", "target/demo-1.jar"));
    assertRanElsewhere(app);
  }

  @Test
  void mavenExecJava(@TempDir Path dir) throws Exception {
    writeProject(dir, "");
    Run app =
        run(
            dir,
            maven(
                "compile",
                "org.codehaus.mojo:exec-maven-plugin:3.5.0:java",
                "-Dexec.mainClass=demo.Main"));
    assertRanElsewhere(app);
  }

  @Test
  void aLambdaAndARecordTypedAtTheJshellPrompt(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("session.jsh");
    Files.writeString(
        script,
        """
        import io.jfutures.*;
        record Square(int n, long square) implements java.io.Serializable {}
        var pool = ProcessPool.create(2);
        System.out.println("map " + pool.map((Integer n) -> new Square(n, (long) n * n), java.util.List.of(1, 2, 3)).toList());
        System.out.println("elsewhere " + (pool.submit(() -> ProcessHandle.current().pid()).result() != ProcessHandle.current().pid()));
        pool.close();
        /exit
        """);
    Run session =
        run(dir, List.of(java("jshell"), "--class-path", coreJar.toString(), script.toString()));
    assertRanElsewhere(session);
  }

  @Test
  void aTestUnderTheJunitConsoleLauncher(@TempDir Path dir) throws Exception {
    String launcher = "org.junit.platform:junit-platform-console-standalone:1.14.1";
    Run fetch =
        run(
            dir,
            maven(
                "dependency:copy",
                "-Dartifact=" + launcher,
                "-DoutputDirectory=" + dir.resolve("lib")));
    assertThat(fetch.code()).as(fetch.output()).isZero();
    Path console = dir.resolve("lib/junit-platform-console-standalone-1.14.1.jar");
    Path source = dir.resolve("src/demo/PoolTest.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        """
        package demo;

        import io.jfutures.ProcessPool;
        import java.io.Serializable;
        import java.util.List;
        import org.junit.jupiter.api.Assertions;
        import org.junit.jupiter.api.Test;

        class PoolTest {
          record Square(int n, long square) implements Serializable {}

          @Test
          void mapRunsInWorkers() {
            try (ProcessPool pool = ProcessPool.create(2)) {
              Assertions.assertEquals(List.of(new Square(2, 4)),
                  pool.map((Integer n) -> new Square(n, (long) n * n), List.of(2)).toList());
              Assertions.assertNotEquals(ProcessHandle.current().pid(),
                  pool.submit(() -> ProcessHandle.current().pid()).result());
            }
          }
        }
        """);
    String classPath = coreJar + java.io.File.pathSeparator + console;
    Run compile =
        run(dir, List.of(java("javac"), "-d", "classes", "-cp", classPath, source.toString()));
    assertThat(compile.code()).as(compile.output()).isZero();
    Run tests =
        run(
            dir,
            List.of(
                java("java"),
                "-jar",
                console.toString(),
                "execute",
                "--class-path",
                "classes" + java.io.File.pathSeparator + coreJar,
                "--select-class",
                "demo.PoolTest"));
    assertThat(tests.output()).as(tests.output()).contains("1 tests successful", "0 tests failed");
    assertThat(tests.code()).isZero();
  }

  private static void assertRanElsewhere(Run run) {
    assertThat(run.output()).as(run.output()).contains(MAP, "elsewhere true");
    assertThat(run.code()).as(run.output()).isZero();
  }

  private static void writeProject(Path dir, String build) throws IOException {
    Files.writeString(
        dir.resolve("pom.xml"),
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>demo</groupId>
          <artifactId>demo</artifactId>
          <version>1</version>
          <properties>
            <maven.compiler.release>21</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencies>
            <dependency>
              <groupId>io.jfutures</groupId>
              <artifactId>jfutures-core</artifactId>
              <version>%s</version>
            </dependency>
          </dependencies>
          %s
        </project>
        """
            .formatted(version, build));
    Path main = dir.resolve("src/main/java/demo/Main.java");
    Files.createDirectories(main.getParent());
    Files.writeString(main, PROGRAM);
  }

  private static String java(String tool) {
    return javaHome.resolve("bin").resolve(tool).toString();
  }

  private static List<String> maven(String... args) {
    List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-q"));
    command.addAll(List.of(args));
    return command;
  }

  private record Run(int code, String output) {}

  private static Run run(Path dir, List<String> command) throws Exception {
    Path log = Files.createTempFile("launch-way", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("JAVA_HOME", javaHome.toString());
      Process process = builder.start();
      if (!process.waitFor(8, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor();
        return new Run(-1, "timed out: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.delete(log);
    }
  }
}
