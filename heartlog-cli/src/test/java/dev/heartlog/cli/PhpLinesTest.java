package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PHP's errors, as {@link ChildLineParser} reads them ({@link PhpLines}) and heartlog run stores
 * them. The replayed lines are what Debian's PHP 8.2.36 printed for a worker that logs a line,
 * raises a warning and a deprecation, reads an undefined variable, renders a shot and then throws
 * an exception nothing catches: logged on stderr with Debian's php.ini, and shown on stdout with
 * none ({@code php -n}, PHP's defaults, as the official Docker images run it).
 */
class PhpLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void anErrorsTypeIsItsLevelAndItsPlaceIsRead() {
    ChildLineParser.Parsed fatal = parser.parse(
        "PHP Fatal error:  Uncaught RuntimeException: bad frame 13 in /srv/app/worker.php:3", Level.WARNING, "stderr");
    ChildLineParser.Parsed shown = parser.parse("Warning: Undefined variable $undefined in /srv/app/worker.php on line 9",
        Level.INFO, "stdout");

    assertThat(fatal.level()).isEqualTo(Level.ERROR);
    assertThat(fatal.message()).isEqualTo("Uncaught RuntimeException: bad frame 13 in /srv/app/worker.php:3");
    assertThat(fatal.metadata()).containsEntry("error_type", "Fatal error").containsEntry("file", "/srv/app/worker.php")
        .containsEntry("line", 3);
    assertThat(shown.level()).isEqualTo(Level.WARNING);
    assertThat(shown.metadata()).containsEntry("file", "/srv/app/worker.php").containsEntry("line", 9);
    assertThat(level("PHP Parse error:  syntax error, unexpected token \"}\" in /srv/app/a.php on line 4"))
        .isEqualTo(Level.ERROR);
    assertThat(level("PHP Deprecated:  strlen(): Passing null to parameter #1 in /srv/app/a.php on line 4"))
        .isEqualTo(Level.WARNING);
    assertThat(level("PHP Notice:  Only variables should be passed by reference in /srv/app/a.php on line 4"))
        .isEqualTo(Level.INFO);
  }

  @Test
  void aWorkersOwnLineThatBeginsWithATypesNameIsNotPhps() {
    String own = "Warning: low disk space on /data";
    assertThat(parser.parse(own, Level.INFO, "stdout").metadata()).doesNotContainKey("error_type");
    assertThat(parser.parse("PHP Warning: one space", Level.INFO, "stdout").metadata()).doesNotContainKey("error_type");
  }

  @Test
  void loggedOnStderrAnUncaughtExceptionIsOneErrorWithItsStackTrace() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "php-8.2.36-logged.txt", "php-logged-replayed");

    // Before, each line was a warning, the fatal error's and each of its stack trace's lines.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "worker started"),
        tuple("WARNING", "VRAM at 95% in /srv/app/worker.php on line 7"),
        tuple("WARNING", "deprecated option in /srv/app/worker.php on line 8"),
        tuple("WARNING", "Undefined variable $undefined in /srv/app/worker.php on line 9"),
        tuple("ERROR", """
            Uncaught RuntimeException: bad frame 13 in /srv/app/worker.php:3
            Stack trace:
            #0 /srv/app/worker.php(11): render()
            #1 {main}
              thrown in /srv/app/worker.php on line 3"""));
    assertThat(records.get(2).metadataJson()).contains("\"error_type\": \"Deprecated\"");
  }

  @Test
  void shownOnStdoutAFatalErrorIsAnErrorAndAWarningAWarning() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "php-8.2.36-shown.txt", "php-shown-replayed");

    // Before, each was INFO, as any line on stdout.
    assertThat(records).extracting(StoredRecord::level, record -> record.message().lines().findFirst().orElseThrow())
        .containsExactly(
            tuple("WARNING", "VRAM at 95% in /srv/app/worker.php on line 7"),
            tuple("WARNING", "deprecated option in /srv/app/worker.php on line 8"),
            tuple("WARNING", "Undefined variable $undefined in /srv/app/worker.php on line 9"),
            tuple("INFO", "rendering shot 12"),
            tuple("ERROR", "Uncaught RuntimeException: bad frame 13 in /srv/app/worker.php:3"));
    assertThat(records.get(4).message()).endsWith("  thrown in /srv/app/worker.php on line 3");
  }

  private Level level(String line) {
    return parser.parse(line, Level.WARNING, "stderr").level();
  }
}
