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
    Path java = Files.writeString(fakes.resolve("java"), "#!/bin/sh\necho '    java.specification.version = 11' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    Result result = runScript(folder, fakes + ":/usr/bin:/bin");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("heartlog: needs Java 17 or later, and the java on the PATH (" + java + ") is "
        + "Java 11 (Debian, Ubuntu: apt-get install openjdk-17-jdk-headless, then put it first on the PATH)\n");
  }

  @Test
  void noJavaIsSaidSo(@TempDir Path folder) throws Exception {
    Path tools = Files.createDirectories(folder.resolve("tools-without-java"));
    for (String tool : new String[] {"dirname", "find", "sed"}) {
      Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool));
    }

    Result result = runScript(folder, tools.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("heartlog: needs Java 17 or later, and there is no java on the PATH "
        + "(Debian, Ubuntu: apt-get install openjdk-17-jdk-headless)\n");
  }

  private record Result(int exitCode, String err) {}

  /** A copy of bin/heartlog in {@code folder}/bin, run with {@code path} as its PATH. */
  private static Result runScript(Path folder, String path) throws IOException, InterruptedException {
    Path script = Files.createDirectories(folder.resolve("bin")).resolve("heartlog");
    Files.copy(Path.of("..", "bin", "heartlog"), script);
    ProcessBuilder launcher = new ProcessBuilder("/bin/bash", script.toString(), "workers").redirectOutput(ProcessBuilder.Redirect.DISCARD);
    launcher.environment().put("PATH", path);
    Process process = launcher.start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), err);
  }
}
