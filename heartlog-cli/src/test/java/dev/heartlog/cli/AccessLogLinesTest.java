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
 * A web server's lines of the requests it served, as {@link ChildLineParser} reads them
 * ({@link AccessLogLines}) and heartlog run stores them. The replayed lines are what a worker
 * serving with Python 3.11.7's {@code http.server} printed on stderr, Debian's gunicorn 20.1.0
 * ({@code --access-logfile -}) on stdout and Debian's uWSGI 2.0.21 on stderr: asked for its
 * health, then for a page whose handler raised, one that is missing, and one that failed.
 */
class AccessLogLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aServedRequestIsInfoWithItsClientAndStatusAndLosesItsTime() {
    ChildLineParser.Parsed python = parser.parse("127.0.0.1 - - [03/Dec/2026 14:12:27] \"GET /health HTTP/1.1\" 200 -",
        Level.WARNING, "stderr");
    ChildLineParser.Parsed combined = parser.parse(
        "10.0.0.7 - render [03/Dec/2026:14:12:34 +0000] \"GET /boom HTTP/1.1\" 500 0 \"-\" \"curl/7.88.1\"",
        Level.WARNING, "stderr");

    assertThat(python.level()).isEqualTo(Level.INFO);
    assertThat(python.message()).isEqualTo("\"GET /health HTTP/1.1\" 200 -");
    assertThat(python.metadata()).containsEntry("client", "127.0.0.1").containsEntry("status", 200)
        .doesNotContainKey("user");
    assertThat(python.time()).as("whole seconds, no zone: the time the line came is finer").isNull();
    assertThat(combined.level()).isEqualTo(Level.INFO);
    assertThat(combined.message()).isEqualTo("\"GET /boom HTTP/1.1\" 500 0 \"-\" \"curl/7.88.1\"");
    assertThat(combined.metadata()).containsEntry("client", "10.0.0.7").containsEntry("user", "render")
        .containsEntry("status", 500);
  }

  @Test
  void ginsLineOfARequestIsInfoWithItsStatusAndClientAndItsDebugLinesAreDebug() {
    // Gin's default logger (gin.Default()), as Ollama's server prints it on stderr; its colours
    // on a terminal are taken out before any reader sees the line. Before, each was a warning.
    ChildLineParser.Parsed served = parser.parse(
        "[GIN] 2026/12/07 - 12:00:00 | 200 |    1.234567ms |       127.0.0.1 | POST     \"/api/generate\"",
        Level.WARNING, "stderr");
    assertThat(served.level()).isEqualTo(Level.INFO);
    assertThat(served.message()).isEqualTo("POST \"/api/generate\" 200 1.234567ms");
    assertThat(served.metadata()).containsEntry("client", "127.0.0.1").containsEntry("status", 200);
    ChildLineParser.Parsed failed = parser.parse(
        "[GIN] 2026/12/07 - 12:00:01 | 500 |  2.512345678s |        10.0.0.7 | GET      \"/api/tags?x=\\\"y\\\"\"",
        Level.WARNING, "stderr");
    assertThat(failed.level()).as("its error is logged on its own").isEqualTo(Level.INFO);
    assertThat(failed.metadata()).containsEntry("status", 500).containsEntry("client", "10.0.0.7");
    ChildLineParser.Parsed route = parser.parse(
        "[GIN-debug] POST   /api/pull                 --> github.com/ollama/ollama/server.(*Server).PullHandler-fm (5 handlers)",
        Level.WARNING, "stderr");
    assertThat(route.level()).isEqualTo(Level.DEBUG);
    assertThat(route.metadata()).containsEntry("component", "gin");
    ChildLineParser.Parsed warning = parser.parse(
        "[GIN-debug] [WARNING] Running in \"debug\" mode. Switch to \"release\" mode in production.", Level.INFO, "stdout");
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("Running in \"debug\" mode. Switch to \"release\" mode in production.");
    assertThat(parser.parse("[GIN] not a request", Level.WARNING, "stderr").message()).isEqualTo("[GIN] not a request");
  }

  @Test
  void anErrorHttpServerSentIsAWarningForTheClientsAndAnErrorForTheServers() {
    ChildLineParser.Parsed missing = parser.parse("127.0.0.1 - - [03/Dec/2026 14:12:32] code 404, message Not Found",
        Level.WARNING, "stderr");
    ChildLineParser.Parsed failed = parser.parse("::1 - - [03/Dec/2026 14:12:32] code 500, message render failed",
        Level.INFO, "stderr");
    ChildLineParser.Parsed other = parser.parse("127.0.0.1 - - [03/Dec/2026 14:12:32] client went away",
        Level.WARNING, "stderr");

    assertThat(missing.level()).isEqualTo(Level.WARNING);
    assertThat(missing.message()).isEqualTo("code 404, message Not Found");
    assertThat(missing.metadata()).containsEntry("status", 404);
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.metadata()).containsEntry("client", "::1").containsEntry("status", 500);
    assertThat(other.level()).as("log_message: werkzeug logs it at INFO").isEqualTo(Level.INFO);
    assertThat(other.message()).isEqualTo("client went away");
  }

  @Test
  void aRequestOfThirtyThousandCharactersIsRead() {
    String path = "/" + "a".repeat(30_000);
    ChildLineParser.Parsed request = parser.parse("127.0.0.1 - - [03/Dec/2026 14:12:27] \"GET " + path + " HTTP/1.1\" 200 -",
        Level.WARNING, "stderr");
    ChildLineParser.Parsed escaped = parser.parse("127.0.0.1 - - [03/Dec/2026:14:12:27 +0000] \"GET /\\\"x\\\" HTTP/1.1\" 404 0",
        Level.WARNING, "stderr");

    assertThat(request.level()).isEqualTo(Level.INFO);
    assertThat(request.message()).endsWith(" HTTP/1.1\" 200 -");
    assertThat(escaped.metadata()).as("a quote escaped in the request").containsEntry("status", 404);
  }

  @Test
  void otherLinesWithABracketedDateAreNotRequests() {
    String notARequest = "render 7 started [03/Dec/2026:14:12:34 +0000] frames 1-20";
    String noTime = "127.0.0.1 - - [queued] \"GET / HTTP/1.1\" 200 -";

    assertThat(parser.parse(notARequest, Level.WARNING, "stderr").message()).isEqualTo(notARequest);
    assertThat(parser.parse(notARequest, Level.WARNING, "stderr").level()).isEqualTo(Level.WARNING);
    assertThat(parser.parse(noTime, Level.WARNING, "stderr").message()).isEqualTo(noTime);
  }

  @Test
  void httpServersRequestsAreInfoAndAHandlersFailureIsOneErrorOfItsOwn() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "python-3.11.7-http-server.txt", "http-server-replayed");

    // Before, each line was a warning, the report's first rule and first line warnings of their
    // own, and the five lines after the traceback part of its error.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "\"GET /health HTTP/1.1\" 200 -"),
        tuple("ERROR", "ValueError: bad frame 13"),
        tuple("WARNING", "code 404, message Not Found"),
        tuple("INFO", "\"GET /missing HTTP/1.1\" 404 -"),
        tuple("ERROR", "code 500, message render failed"),
        tuple("INFO", "\"GET /fail HTTP/1.1\" 500 -"),
        tuple("INFO", "\"GET /health HTTP/1.1\" 200 -"));
    assertThat(records.get(1).exception())
        .startsWith("Exception occurred during processing of request from ('127.0.0.1', 33784)\nTraceback")
        .contains("File \"/srv/app/worker.py\", line 6, in do_GET")
        .endsWith("ValueError: bad frame 13\n" + "-".repeat(40));
    assertThat(records.get(5).metadataJson()).contains("\"status\": 500").contains("\"client\": \"127.0.0.1\"");
  }

  @Test
  void gunicornsAccessLogOnStdoutGivesEachRequestsStatus() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "gunicorn-20.1.0-access-log.txt", "gunicorn-access-replayed");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "\"GET /health HTTP/1.1\" 200 2 \"-\" \"render-orchestrator/1.0\""),
        tuple("INFO", "\"GET /boom HTTP/1.1\" 500 0 \"-\" \"-\""),
        tuple("INFO", "\"GET /missing HTTP/1.1\" 404 2 \"-\" \"render-orchestrator/1.0\""),
        tuple("INFO", "\"GET /health HTTP/1.1\" 200 2 \"-\" \"render-orchestrator/1.0\""));
    assertThat(records.get(1).metadataJson()).contains("\"status\": 500");
  }

  @Test
  void uwsgisRequestsAreInfoWithTheirStatusAndNoneJoinsTheErrorBeforeIt() throws Exception {
    ChildLineParser.Parsed request = parser.parse("[pid: 27516|app: 0|req: 2/2] 10.0.0.7 (render) {24 vars in 252 bytes} "
        + "[Thu Dec  3 14:49:54 2026] GET /boom => generated 0 bytes in 0 msecs (HTTP/1.1 500) 0 headers in 0 bytes "
        + "(0 switches on core 0)", Level.WARNING, "stderr");
    assertThat(request.level()).isEqualTo(Level.INFO);
    assertThat(request.message()).startsWith("GET /boom => generated 0 bytes");
    assertThat(request.metadata()).containsEntry("pid", 27516L).containsEntry("client", "10.0.0.7")
        .containsEntry("user", "render").containsEntry("status", 500);

    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "uwsgi-2.0.21.txt", "uwsgi-replayed");

    // Before, each was a warning, and those after the traceback part of its error. uWSGI's
    // banner, which names no level, stays a warning a line. Replayed in one read, the logger's
    // warning before the traceback takes it as its own (README, "Tracebacks"); run live, the
    // traceback was an error of its own.
    int failed = records.stream().map(StoredRecord::message).toList().indexOf("shot 13: model not warm");
    assertThat(records.get(failed).exception()).endsWith("RuntimeError: CUDA out of memory");
    assertThat(records.subList(failed + 1, failed + 4)).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "GET /boom => generated 0 bytes in 0 msecs (HTTP/1.1 500) 0 headers in 0 bytes (0 switches on core 0)"),
        tuple("INFO", "GET /missing => generated 2 bytes in 0 msecs (HTTP/1.1 404) 1 headers in 52 bytes (1 switches on core 0)"),
        tuple("INFO", "rendering /health"));
    assertThat(records).filteredOn(record -> record.metadataJson().contains("\"status\"")).hasSize(4);
  }
}
