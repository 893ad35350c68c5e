package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server on a machine whose temporary folder is mounted {@code noexec}, as hardened
 * servers mount {@code /tmp}: its programs are unpacked in the home folder instead. Before, initdb
 * could not run, and the command said only "Process [..., initdb, ...] failed".
 */
class ProgramsFolderTest {

  private static final List<String> MOUNTS = List.of(
      "/dev/root / ext4 rw,relatime 0 0",
      "tmpfs /tmp tmpfs rw,nosuid,nodev,noexec,relatime 0 0",
      "tmpfs /dev/shm tmpfs rw,nosuid,nodev,noexec 0 0");

  @Test
  void aFolderIsOnTheLongestMountThatHoldsItAndNotYetMadeOnesOnTheirNearestParents() throws IOException {
    assertThat(ProgramsFolder.noexecMount(Path.of("/tmp/embedded-pg/not-made-yet"), MOUNTS)).contains("/tmp");
    assertThat(ProgramsFolder.noexecMount(Path.of("/usr/lib"), MOUNTS)).isEmpty();
    assertThat(ProgramsFolder.noexecMount(Path.of("/tmp"), List.of("tmpfs /tmp tmpfs rw,noexec 0 0", "tmpfs /tmp tmpfs rw 0 0")))
        .as("mounted over by one that allows programs").isEmpty();
    assertThat(ProgramsFolder.noexecMount(Path.of("/tmp"), List.of())).as("no mount table").isEmpty();
  }

  @Test
  @Timeout(180)
  void aServerWhoseTemporaryFolderIsMountedNoexecRunsItsProgramsFromTheHomeFolder(@TempDir Path folder) throws Exception {
    Path tmp = Files.createDirectories(folder.resolve("noexec-tmp"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "noexec,size=200m", "tmpfs", tmp.toString())
        .redirectErrorStream(true).start();
    Assumptions.assumeTrue(mount.waitFor() == 0, "mounting a tmpfs needs root: "
        + new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Path home = folder.resolve("home");
    try {
      Process store = EmbeddedStoreProcess.launcher(home, "-Djava.io.tmpdir=" + tmp)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String first = new BufferedReader(new InputStreamReader(store.getInputStream(), StandardCharsets.UTF_8)).readLine();
      store.getOutputStream().close();
      assertThat(store.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(first).as("what the process printed first").startsWith("port ");
      assertThat(home.resolve("postgres-programs")).isDirectory();
    } finally {
      new ProcessBuilder("umount", "-l", tmp.toString()).start().waitFor();
    }
  }
}
