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
 * The lines of the Python servers a worker may be, gunicorn and uvicorn, as {@link
 * ChildLineParser} reads them and heartlog run stores them. The lines are what Debian's gunicorn
 * 20.1.0 ({@code gunicorn -w 1 wsgi:app}) and uvicorn 0.17.6 ({@code python3 -m uvicorn app:app})
 * printed on stderr, started, asked for a page, then for one whose handler raised, and stopped.
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
}
