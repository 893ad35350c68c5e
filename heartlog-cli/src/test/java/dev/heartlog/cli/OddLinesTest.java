package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python worker that prints 4,000 lines of the formats heartlog run reads, bent at random
 * ({@code odd-lines/odd_lines.py}): no line stops the reading of its stream. Before, a line
 * number no {@code int} holds threw in a stream's reading thread, which ended there and closed
 * its pipe: of three seeds' 4,000 lines each, 587 to 2,144 were stored, against about 3,800 now,
 * and the worker exited with code 1.
 */
@Timeout(120)
class OddLinesTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path folder;

  @Test
  void everyStreamIsReadToItsLastLineAndNoLineIsBeyondReading() throws Exception {
    int seed = 3;   // the build before stored 587 of its lines
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path script = Path.of(Objects.requireNonNull(OddLinesTest.class.getResource("/odd-lines/odd_lines.py")).toURI());
    String worker = "odd-lines-" + seed;

    Cli.Result result = Cli.run("run", "--worker", worker, "--db-url", url, "--home", folder.resolve("home").toString(),
        "--", PYTHON.toString(), script.toString(), Integer.toString(seed));

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> stored = store.logs(new LogFilter(worker, null, null, null, null, null, 10_000));
    assertThat(stored).as("a record for most lines; blank ones and tracebacks' lines are fewer").hasSizeGreaterThan(3_000);
    assertThat(stored).filteredOn(r -> r.message().startsWith("heartlog run could not read a line")).isEmpty();
    for (String last : List.of("odd lines: the last of stdout", "odd lines: the last of stderr")) {
      assertThat(stored).as(last).anyMatch(r -> r.message().contains(last) || String.valueOf(r.exception()).contains(last));
    }
  }
}
