package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/heartlog} on a machine whose Java cannot build or run heartlog: it says so before
 * the first build, instead of failing in Maven's compiler. A copy of the script, in a folder of
 * its own, has no jar yet, as on a fresh machine.
 */
class LauncherScriptTest {

  @Test
  void anOlderJavaIsNamedWithTheOneNeeded(@TempDir Path folder) throws Exception {
    Path fakes = Files.createDirectories(folder.resolve("java-11"));
    Path java = executable(Files.writeString(fakes.resolve("java"), "#!/bin/sh\necho '    java.specification.version = 11' >&2\n"));

    Result result = runScript(folder, fakes + ":/usr/bin:/bin");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("heartlog: needs Java 17 or later, and the java on the PATH (" + java + ") is "
        + "Java 11 (Debian, Ubuntu: apt-get install openjdk-17-jdk-headless, then put it first on the PATH)\n");
  }

  @Test
  void noJavaIsSaidSo(@TempDir Path folder) throws Exception {
    Path tools = Files.createDirectories(folder.resolve("tools-without-java"));
    for (String tool : new String[] {"dirname", "find", "readlink", "sed"}) {
      Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool));
    }

    Result result = runScript(folder, tools.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("heartlog: needs Java 17 or later, and there is no java on the PATH "
        + "(Debian, Ubuntu: apt-get install openjdk-17-jdk-headless)\n");
  }

  /**
   * The demo's commands to copy said {@code bin/heartlog}, which works only in the checkout; the
   * script now tells heartlog how it was called. Through a link on the PATH it also ran the jar
   * beside the link, which is not there, instead of its checkout's.
   */
  @Test
  void heartlogIsToldTheCommandTheUserTyped(@TempDir Path folder) throws Exception {
    Path checkout = Files.createDirectories(folder.resolve("fleet tools"));
    Path script = copyScript(checkout);
    Path jar = Files.createDirectories(checkout.resolve("heartlog-cli/target")).resolve("heartlog.jar");
    Files.writeString(jar, "");   // newer than any source: used as it is, not built
    jar = jar.toRealPath();
    Path fakes = Files.createDirectories(folder.resolve("fake-java"));
    executable(Files.writeString(fakes.resolve("java"), "#!/bin/sh\necho \"$HEARTLOG_COMMAND\" \"$2\"\n"));
    Path links = Files.createDirectories(folder.resolve("links"));
    Files.createSymbolicLink(links.resolve("heartlog"), script);
    String path = fakes + ":/usr/bin:/bin";

    assertThat(runIn(checkout, path, "bin/heartlog workers")).isEqualTo("bin/heartlog " + jar + "\n");
    assertThat(runIn(folder, path, "'" + script + "' workers")).isEqualTo(script + " " + jar + "\n");
    assertThat(runIn(folder, links + ":" + path, "heartlog workers")).isEqualTo("heartlog " + jar + "\n");
    assertThat(runIn(folder, path, "links/heartlog workers")).isEqualTo("links/heartlog " + jar + "\n");
  }

  /** What {@code command}, run by sh in {@code folder} with {@code path} as its PATH, printed. */
  private static String runIn(Path folder, String path, String command) throws IOException, InterruptedException {
    ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", command).directory(folder.toFile());
    shell.environment().put("PATH", path);
    shell.environment().remove(Launcher.VARIABLE);
    shell.environment().remove("HEARTLOG_JAVA_OPTS");
    Process process = shell.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    return out;
  }

  private record Result(int exitCode, String err) {}

  /** A copy of bin/heartlog in {@code folder}/bin, run with {@code path} as its PATH. */
  private static Result runScript(Path folder, String path) throws IOException, InterruptedException {
    Path script = copyScript(folder);
    ProcessBuilder launcher = new ProcessBuilder("/bin/bash", script.toString(), "workers").redirectOutput(ProcessBuilder.Redirect.DISCARD);
    launcher.environment().put("PATH", path);
    Process process = launcher.start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), err);
  }

  /** A copy of bin/heartlog in {@code folder}/bin, executable. */
  private static Path copyScript(Path folder) throws IOException {
    Path script = Files.createDirectories(folder.resolve("bin")).resolve("heartlog");
    Files.copy(Path.of("..", "bin", "heartlog"), script);
    return executable(script);
  }

  private static Path executable(Path file) throws IOException {
    return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
