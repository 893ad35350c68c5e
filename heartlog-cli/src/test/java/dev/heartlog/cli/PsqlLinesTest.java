package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's messages as psql writes them, as heartlog run stores them ({@link PsqlLines}). The
 * replayed lines are what Debian's psql 15.18 printed on stderr running a migration file against
 * PostgreSQL 15 ({@code psql -f migrate.sql}: a table dropped if it exists, a duplicate key, a
 * function that does not exist, a warning and an info raised, a syntax error), then two commands
 * given with {@code -c}.
 */
class PsqlLinesTest {

  @TempDir Path folder;

  @Test
  void aMigrationsNoticesAreInfoAndItsErrorsErrorsWithTheServersDetailBelowThem() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "psql-15.18-migration.txt", "psql-migration");

    // Before, each NOTICE was a warning, the -c one part of the error before it, and every
    // message began "psql:migrate.sql:4: ERROR:  ".
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "table \"old_render_jobs\" does not exist, skipping"),
        tuple("ERROR", "duplicate key value violates unique constraint \"render_jobs_pkey\"\n"
            + "DETAIL:  Key (id)=(1) already exists."),
        tuple("ERROR", "function no_such_function(integer) does not exist\n"
            + "LINE 1: select no_such_function(1);\n"
            + "               ^\n"
            + "HINT:  No function matches the given name and argument types. You might need to add explicit type casts."),
        tuple("WARNING", "render_jobs has no index on created_at"),
        tuple("INFO", "migration 7 applied"),
        tuple("ERROR", "syntax error at or near \"selec\"\nLINE 1: selec 1;\n        ^"),
        tuple("INFO", "table \"old_render_jobs\" does not exist, skipping"),
        tuple("ERROR", "division by zero"));
    assertThat(records.get(1).metadataJson()).contains("\"component\": \"psql\"", "\"file\": \"migrate.sql\"",
        "\"line\": 4");
    assertThat(records.get(6).metadataJson()).doesNotContain("component");
  }

  @Test
  void fatalIsCriticalAndTheServersFurtherLinesOrAWorkersOwnAreNotRead() {
    assertThat(PsqlLines.parse("psql:migrate.sql:3: FATAL:  terminating connection due to administrator command",
        new RecordMetadata(3)).level()).isEqualTo(Level.CRITICAL);
    assertThat(List.of("DETAIL:  Key (id)=(1) already exists.", "HINT:  No function matches", "LINE 1: selec 1;",
            "ERROR: one space is Python's", "ERROR:   three spaces", "psql:migrate.sql:x: ERROR:  no line number",
            "Note:  two spaces"))
        .allSatisfy(line -> assertThat(PsqlLines.parse(line, new RecordMetadata(3))).as(line).isNull());
  }
}
