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
 * nginx's lines on stderr, as {@link ChildLineParser} reads them ({@link NginxLines}) and heartlog
 * run stores them. The replayed lines are what Debian's nginx 1.22.1 printed there with {@code
 * error_log /dev/stderr info} and {@code daemon off}: started with a warning, asked for a page,
 * a missing one and one whose upstream was down, stopped; then started again on a port in use.
 */
class NginxLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void eachLevelOfNginxsIsTheRecordsAndThePrefixLeavesTheMessage() {
    assertThat(level("2026/12/03 14:22:54 [debug] 18391#18391: *2 http header done")).isEqualTo(Level.DEBUG);
    assertThat(level("2026/12/03 14:22:54 [info] 18391#18391: *2 client 127.0.0.1 closed keepalive connection"))
        .isEqualTo(Level.INFO);
    assertThat(level("2026/12/03 14:22:53 [notice] 18389#18389: start worker processes")).isEqualTo(Level.INFO);
    assertThat(level("2026/12/03 14:22:53 [warn] 18389#18389: conflicting server name")).isEqualTo(Level.WARNING);
    assertThat(level("2026/12/03 14:22:54 [error] 18391#18391: *3 connect() failed")).isEqualTo(Level.ERROR);
    assertThat(level("2026/12/03 14:22:54 [crit] 18391#18391: *3 pwrite() failed (28: No space left on device)"))
        .isEqualTo(Level.CRITICAL);
    assertThat(level("2026/12/03 14:22:54 [alert] 18389#18389: worker process 18391 exited on signal 9"))
        .isEqualTo(Level.CRITICAL);
    assertThat(level("nginx: [emerg] still could not bind()")).isEqualTo(Level.CRITICAL);

    ChildLineParser.Parsed error = parser.parse("2026/12/03 14:22:54 [error] 18391#18391: *3 connect() failed", Level.WARNING,
        "stderr");
    assertThat(error.message()).isEqualTo("*3 connect() failed");
    assertThat(error.metadata()).containsEntry("pid", 18391L);
    assertThat(error.time()).as("local, whole seconds: the time the line came is finer").isNull();
    assertThat(parser.parse("nginx: [emerg] still could not bind()", Level.WARNING, "stderr").message())
        .isEqualTo("still could not bind()");
  }

  @Test
  void goLogsLinesAndOtherBracketsAreNotNginxs() {
    ChildLineParser.Parsed go = parser.parse("2026/12/03 14:22:54 [retry] claim 7 again", Level.WARNING, "stderr");
    assertThat(go.message()).as("Go's log, as before").isEqualTo("[retry] claim 7 again");
    assertThat(go.level()).isEqualTo(Level.INFO);
    assertThat(parser.parse("nginx: [fatal] not a level of nginx's", Level.INFO, "stdout").message())
        .isEqualTo("nginx: [fatal] not a level of nginx's");
  }

  @Test
  void nginxsStartThatFailedIsCriticalWhereItWasInfo() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "nginx-1.22.1-error-log.txt", "nginx-replayed");

    // Before, every line was INFO (read as Go's log), its level in brackets in its message.
    assertThat(records).hasSize(37);
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).startsWith(
        tuple("WARNING", "conflicting server name \"render.local\" on 127.0.0.1:8799, ignored"),
        tuple("WARNING", "conflicting server name \"render.local\" on 127.0.0.1:8799, ignored"),
        tuple("INFO", "using the \"epoll\" event method"));
    assertThat(records).filteredOn(record -> record.level().equals("ERROR")).extracting(StoredRecord::message)
        .containsExactly(
            "*2 open() \"/srv/www/missing\" failed (2: No such file or directory), client: 127.0.0.1, "
                + "server: render.local, request: \"GET /missing HTTP/1.1\", host: \"127.0.0.1:8799\"",
            "*3 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, "
                + "server: render.local, request: \"GET /up HTTP/1.1\", upstream: \"http://127.0.0.1:8798/up\", "
                + "host: \"127.0.0.1:8799\"");
    assertThat(records.get(records.size() - 1)).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly("CRITICAL", "still could not bind()");
    assertThat(records).filteredOn(record -> record.level().equals("CRITICAL")).hasSize(12);
    assertThat(records.get(9).metadataJson()).contains("\"pid\": 18391");
  }

  private Level level(String line) {
    return parser.parse(line, Level.WARNING, "stderr").level();
  }
}
