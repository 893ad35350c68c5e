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
 * The lines of the Python servers a worker may be, gunicorn, uvicorn and Flask's, as {@link
 * ChildLineParser} reads them and heartlog run stores them. The lines are what Debian's gunicorn
 * 20.1.0 ({@code gunicorn -w 1 wsgi:app}) and uvicorn 0.17.6 ({@code python3 -m uvicorn app:app})
 * printed on stderr, started, asked for a page, then for one whose handler raised, and stopped
 * (and uvicorn's lines of those requests, on stdout);
 * and what Flask 3.1.3's {@code app.run()} (werkzeug 3.1.8, Python 3.11.7) printed there, its
 * handler logging with {@code app.logger}.
 */
class PythonServerLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void gunicornsLinesGiveTheirLevelAndProcessAndLoseTheirPrefix() {
    ChildLineParser.Parsed booting = parser.parse("[2026-12-03 12:30:49 +0000] [750] [INFO] Booting worker with pid: 750",
        Level.WARNING, "stderr");

    assertThat(booting.level()).isEqualTo(Level.INFO);
    assertThat(booting.message()).isEqualTo("Booting worker with pid: 750");
    assertThat(booting.metadata()).containsEntry("pid", 750L);
    assertThat(booting.time()).as("whole seconds: the time the line came is finer").isNull();
    assertThat(parser.parse("[2026-12-03 12:30:49 +0000] [750] [NOTICE] not a level of Python's", Level.WARNING, "stderr")
        .message()).isEqualTo("[2026-12-03 12:30:49 +0000] [750] [NOTICE] not a level of Python's");
  }

  @Test
  void aGunicornWorkersFailedRequestIsOneErrorWithItsTraceback() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "gunicorn-20.1.0.txt", "gunicorn-replayed");

    // Before, each message kept "[2026-12-03 12:30:49 +0000] [748] [INFO] " in front.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Starting gunicorn 20.1.0"),
        tuple("INFO", "Listening at: http://127.0.0.1:8766 (748)"),
        tuple("INFO", "Using worker: sync"),
        tuple("INFO", "Booting worker with pid: 750"),
        tuple("ERROR", "Error handling request /boom"),
        tuple("INFO", "Handling signal: term"),
        tuple("INFO", "Worker exiting (pid: 750)"),
        tuple("INFO", "Shutting down: Master"));
    assertThat(records.get(4).exception()).startsWith("Traceback (most recent call last):\n")
        .contains("File \"/srv/app/wsgi.py\", line 3, in app").endsWith("RuntimeError: CUDA out of memory");
    assertThat(records.get(4).metadataJson()).contains("\"pid\": 750");
    assertThat(records.get(0).metadataJson()).contains("\"pid\": 748");
  }

  @Test
  void uvicornsLinesLoseTheirPaddedLevelAndItsFailedRequestIsOneErrorWithItsTraceback() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "uvicorn-0.17.6.txt", "uvicorn-replayed");

    // Before, each message kept "INFO:     " in front.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Started server process [755]"),
        tuple("INFO", "Waiting for application startup."),
        tuple("INFO", "Application startup complete."),
        tuple("INFO", "Uvicorn running on http://127.0.0.1:8765 (Press CTRL+C to quit)"),
        tuple("ERROR", "Exception in ASGI application"),
        tuple("INFO", "Shutting down"),
        tuple("INFO", "Waiting for application shutdown."),
        tuple("INFO", "Application shutdown complete."),
        tuple("INFO", "Finished server process [755]"));
    assertThat(records.get(4).exception()).startsWith("Traceback (most recent call last):\n")
        .contains("File \"/srv/app/app.py\", line 5, in app").endsWith("RuntimeError: CUDA out of memory");
  }

  @Test
  void flasksLinesGiveTheirLevelAndModuleAndAFailedRequestIsOneErrorAndItsRequestAnother() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "flask-3.1.3-werkzeug-3.1.8.txt", "flask-replayed");

    // Before, app.logger's messages began "in flaskw: ", each request's line and werkzeug's own
    // were warnings, and those after the traceback part of its error.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "This is a development server. Do not use it in a production deployment. "
            + "Use a production WSGI server instead."),
        tuple("INFO", " * Running on http://127.0.0.1:5077"),
        tuple("INFO", "Press CTRL+C to quit"),
        tuple("INFO", "\"GET /health HTTP/1.1\" 200 -"),
        tuple("INFO", "rendering shot 12"),
        tuple("INFO", "\"GET /render/12 HTTP/1.1\" 200 -"),
        tuple("INFO", "rendering shot 13"),
        tuple("WARNING", "shot 13: model not warm"),
        tuple("ERROR", "Exception on /render/13 [GET]"),
        tuple("INFO", "\"GET /render/13 HTTP/1.1\" 500 -"),
        tuple("INFO", "\"GET /missing HTTP/1.1\" 404 -"),
        tuple("INFO", "\"GET /health HTTP/1.1\" 200 -"),
        tuple("WARNING", "code 400, message Bad request syntax ('BOGUS')"),
        tuple("INFO", "\"BOGUS\" 400 -"));
    assertThat(records.get(1).metadataJson()).contains("\"logger\": \"werkzeug\"");
    assertThat(records.get(4).metadataJson()).contains("\"logger\": \"flaskw\"");
    assertThat(records.get(8).metadataJson()).contains("\"logger\": \"app\"");
    assertThat(records.get(8).exception()).startsWith("Traceback (most recent call last):\n")
        .contains("File \"/srv/app/app.py\", line 12, in render").endsWith("ValueError: bad frame 13");
  }

  @Test
  void werkzeugsOwnLinesGiveItsLevels() {
    assertThat(parser.parse(" * Debugger is active!", Level.INFO, "stderr").level()).isEqualTo(Level.WARNING);
    assertThat(parser.parse(" * Debugger PIN: 123-456-789", Level.WARNING, "stderr").level()).isEqualTo(Level.INFO);
    assertThat(parser.parse(" * Restarting with stat", Level.WARNING, "stderr").level()).isEqualTo(Level.INFO);
    assertThat(parser.parse(" * Running on all addresses (0.0.0.0)", Level.WARNING, "stderr").metadata())
        .containsEntry("logger", "werkzeug");
    assertThat(parser.parse(" * a list of the worker's own", Level.WARNING, "stderr").level()).isEqualTo(Level.WARNING);
  }

  @Test
  void uvicornsRequestLinesGiveTheirClientAndStatus() throws Exception {
    // What uvicorn 0.17.6 printed on stdout for the same four requests as gunicorn's access log.
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "uvicorn-0.17.6-access.txt", "uvicorn-access-replayed");

    assertThat(records).extracting(StoredRecord::level).containsOnly("INFO");
    assertThat(records).hasSize(4);
    assertThat(records.get(1).message()).endsWith("\"GET /boom HTTP/1.1\" 500 Internal Server Error");
    assertThat(records.get(1).metadataJson()).contains("\"status\": 500").contains("\"client\": \"127.0.0.1:");
    assertThat(records.get(2).metadataJson()).contains("\"status\": 404");
    assertThat(parser.parse("INFO:     Uvicorn running on http://127.0.0.1:8765 (Press CTRL+C to quit)", Level.WARNING, "stderr")
        .metadata()).doesNotContainKey("status");
  }
}
