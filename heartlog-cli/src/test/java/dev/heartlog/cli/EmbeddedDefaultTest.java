package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no database configured, the demo runs on the embedded PostgreSQL in the home folder, and
 * a later command (a new start of the embedded server) reads what it stored.
 */
class EmbeddedDefaultTest {

  @TempDir Path home;

  @Test
  @Timeout(180)
  void demoThenTaskReadTheSameEmbeddedStore() {
    Cli.Result demo = Cli.run("demo", "--home", home.toString(), "--workers", "1", "--duration", "3s", "--interval", "500ms");
    Matcher failed = Pattern.compile("\\(task ([0-9a-f-]{36}) failed\\)").matcher(demo.out());
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(failed.find()).as(demo.out()).isTrue();
    assertThat(demo.out()).contains("bin/heartlog task " + failed.group(1) + " --home " + home);

    Cli.Result task = Cli.run("task", failed.group(1), "--home", home.toString());

    assertThat(task.exitCode()).as(task.err()).isZero();
    assertThat(task.out()).contains("FAILED").contains("CUDA out of memory");
    assertThat(home.resolve("postgres").resolve("PG_VERSION")).exists();
  }
}
