package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.agent.Level;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of one line is recorded once, then counted: {@link RepeatedLines} given records, and a
 * real worker's retry loop under {@code heartlog run}.
 */
class RepeatedLinesTest {

  /** The first two of a flood recorded, here; ten under heartlog run. */
  private static final int IN_A_ROW = 2;
  private static final long GAP = TimeUnit.SECONDS.toNanos(1);
  private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);
  private static final Map<String, Object> STDERR = Map.of("stream", "stderr");
  private static final Map<String, Object> NET = new LinkedHashMap<>(Map.of("stream", "stderr"));

  static {
    NET.put("logger", "net");
  }

  @TempDir Path folder;

  private final List<String> recorded = new ArrayList<>();
  private long nanos = 1_000;
  private final RepeatedLines repeats = new RepeatedLines(
      (at, level, message, task, metadata) -> recorded.add(level + " " + message + " " + task + " " + metadata + " @" + at.getEpochSecond()),
      IN_A_ROW, GAP, INTERVAL, () -> nanos);

  private void line(long at, Level level, String message, String task, Map<String, Object> metadata) {
    repeats.record(Instant.ofEpochSecond(at), level, message, task, metadata);
  }

  private void after(long millis) {
    nanos += TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void repeatsWithinASecondOfTheOneBeforeAreCountedPastTheFirstAndTheCountIsRecordedBeforeTheNextOtherLine() {
    line(1, Level.WARNING, "connection refused, retrying", "t-1", STDERR);
    for (int i = 0; i < 5; i++) {
      after(900);
      line(2 + i, Level.WARNING, "connection refused, retrying", "t-1", STDERR);
    }
    after(1);
    line(7, Level.WARNING, "giving up", "t-1", STDERR);
    after(1_001);
    line(8, Level.WARNING, "giving up", "t-1", STDERR);   // over a second after: a line of its own
    repeats.end();

    assertThat(recorded).containsExactly(
        "WARNING connection refused, retrying t-1 {stream=stderr} @1",
        "WARNING connection refused, retrying t-1 {stream=stderr} @2",
        "WARNING repeated 4 more times: connection refused, retrying t-1 {stream=stderr, repeated=4} @6",
        "WARNING giving up t-1 {stream=stderr} @7",
        "WARNING giving up t-1 {stream=stderr} @8");
  }

  @Test
  void aLineOfAnotherLevelTaskOrMetadataIsNoRepeat() {
    line(1, Level.WARNING, "retrying", "t-1", STDERR);
    line(1, Level.ERROR, "retrying", "t-1", STDERR);
    line(1, Level.ERROR, "retrying", "t-2", STDERR);
    line(1, Level.ERROR, "retrying", null, STDERR);
    line(1, Level.ERROR, "retrying", null, NET);
    line(1, Level.ERROR, "retrying", null, NET);
    line(1, Level.ERROR, "retrying", null, NET);
    repeats.end();

    assertThat(recorded).containsExactly(
        "WARNING retrying t-1 {stream=stderr} @1",
        "ERROR retrying t-1 {stream=stderr} @1",
        "ERROR retrying t-2 {stream=stderr} @1",
        "ERROR retrying null {stream=stderr} @1",
        "ERROR retrying null {stream=stderr, logger=net} @1",
        "ERROR retrying null {stream=stderr, logger=net} @1",
        "ERROR repeated 1 more time: retrying null {stream=stderr, logger=net, repeated=1} @1");
  }

  @Test
  void theCountIsRecordedOnceTheRepeatsStopAndEveryTenSecondsWhileTheyGoOn() {
    line(0, Level.INFO, "waiting for a GPU", null, STDERR);
    for (int second = 1; second <= 25; second++) {
      after(1_000);
      line(second, Level.INFO, "waiting for a GPU", null, STDERR);
      repeats.tick(nanos);
    }
    after(999);
    repeats.tick(nanos);
    assertThat(recorded).as("a second has not passed since the last").hasSize(4);
    after(2);
    repeats.tick(nanos);
    repeats.tick(nanos);

    assertThat(recorded).containsExactly(
        "INFO waiting for a GPU null {stream=stderr} @0",
        "INFO waiting for a GPU null {stream=stderr} @1",
        "INFO repeated 11 more times: waiting for a GPU null {stream=stderr, repeated=11} @12",
        "INFO repeated 11 more times: waiting for a GPU null {stream=stderr, repeated=11} @23",
        "INFO repeated 2 more times: waiting for a GPU null {stream=stderr, repeated=2} @25");
  }

  @Test
  void theCountOfAFailureRepeatedIsAnErrorWithoutItsStackTraceAgain() {
    Map<String, Object> failure = Map.of("stream", "stderr", "exception", "Traceback (most recent call last):\n...");
    line(1, Level.ERROR, "ConnectionRefusedError: [Errno 111]", "t-1", failure);
    line(1, Level.ERROR, "ConnectionRefusedError: [Errno 111]", "t-1", failure);
    line(1, Level.ERROR, "ConnectionRefusedError: [Errno 111]", "t-1", failure);
    repeats.end();
    line(2, Level.ERROR, "ConnectionRefusedError: [Errno 111]", "t-1", failure);   // the stream ended: nothing to repeat

    assertThat(recorded).containsExactly(
        "ERROR ConnectionRefusedError: [Errno 111] t-1 " + failure + " @1",
        "ERROR ConnectionRefusedError: [Errno 111] t-1 " + failure + " @1",
        "ERROR repeated 1 more time: ConnectionRefusedError: [Errno 111] t-1 {stream=stderr, repeated=1} @1",
        "ERROR ConnectionRefusedError: [Errno 111] t-1 " + failure + " @2");
  }

  @Test
  void aRetryLoopUnderHeartlogRunIsStoredAsItsFirstTenLinesAndHowManyMoreTimesItRepeated() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("flood.py"), """
        import sys
        print("claimed task", file=sys.stderr)
        for attempt in range(50000):
            print("connection refused, retrying", file=sys.stderr)
        print("connected", file=sys.stderr, flush=True)
        """);

    Cli.Result counted = WrappedWorkers.heartlogRun(folder, "flood-counted", url, List.of(), "/usr/bin/python3", worker.toString());
    Cli.Result kept = WrappedWorkers.heartlogRun(folder, "flood-kept", url, List.of("--keep-repeats"), "/usr/bin/python3",
        worker.toString());

    assertThat(counted.exitCode()).as(counted.err()).isZero();
    assertThat(kept.exitCode()).as(kept.err()).isZero();
    // Before, each of the 50,000 lines was a record, and a burst of them past the agent's memory
    // dropped. Now the first ten, then the count of the rest (of each part, were heartlog held up
    // for a second in between).
    List<StoredRecord> countedRecords = records(store, "flood-counted");
    assertThat(countedRecords).extracting(StoredRecord::level, StoredRecord::message)
        .startsWith(tuple("WARNING", "claimed task")).endsWith(tuple("WARNING", "connected"));
    List<StoredRecord> flood = countedRecords.subList(1, countedRecords.size() - 1);
    assertThat(flood.subList(0, 10)).extracting(StoredRecord::message).containsOnly("connection refused, retrying");
    assertThat(flood.get(10).message()).matches("repeated \\d+ more times: connection refused, retrying");
    assertThat(flood).hasSizeLessThan(50);
    long lines = 0;
    for (StoredRecord record : flood) {
      Matcher count = Pattern.compile("repeated (\\d+) more times: ").matcher(record.message());
      lines += count.lookingAt() ? Long.parseLong(count.group(1)) : 1;
      if (count.lookingAt()) {
        assertThat(record.metadataJson()).contains("\"repeated\": " + count.group(1));
      }
    }
    assertThat(lines).as("each line recorded or counted").isEqualTo(50_000);
    List<StoredRecord> keptRecords = store.logs(new LogFilter("flood-kept", null, null, null, null, null, 60_000));
    long stored = keptRecords.stream().filter(record -> record.message().equals("connection refused, retrying")).count();
    long dropped = keptRecords.stream().filter(record -> record.message().startsWith("heartlog dropped "))
        .mapToLong(record -> Long.parseLong(record.message().split(" ")[2])).sum();
    assertThat(stored + dropped).as("with --keep-repeats every line is a record, or counted as dropped").isEqualTo(50_000);
    assertThat(keptRecords).extracting(StoredRecord::message).noneMatch(message -> message.startsWith("repeated "));
  }
}
