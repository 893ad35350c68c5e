package dev.heartlog.bench;

import static dev.heartlog.bench.BenchDatabase.execute;
import static dev.heartlog.bench.BenchDatabase.resource;

import dev.heartlog.store.Fixtures;
import dev.heartlog.store.Store;
import java.util.Map;

/**
 * The ways of storing a batch that {@link IngestLoad} compares, each set up in a database of its
 * own: heartlog's function as it is and as it was before a change, the seed's function and the
 * per-row loop into the seed's table (see {@link IngestLoad} for each variant).
 */
final class IngestVariants {

  private IngestVariants() {}

  /** Sets up the schema and function of {@code variant} in the empty database at {@code url}. */
  static void prepare(String url, String variant) throws Exception {
    if (variant.startsWith("heartlog") || variant.startsWith("copy")) {
      Store.open(url, null, null).migrate();
      if (variant.equals("heartlog-db-collation")) {
        // As before migration V6: the ids compare under the database's collation.
        execute(url, "ALTER TABLE system_logs ALTER COLUMN source_id TYPE text COLLATE \"default\", "
            + "ALTER COLUMN task_id TYPE text COLLATE \"default\"");
      }
      if (variant.equals("heartlog-no-counts")) {
        // As before migration V7: no problem counts kept for fleet health.
        execute(url, replaceAll(resource("/db/heartlog/R__ingest.sql"), Map.of(
            "SELECT r.problem_counts INTO problems", "SELECT '{}' INTO problems",
            "heartlog_add_problems(w.problem_errors, problems, 2)", "w.problem_errors",
            "heartlog_add_problems(w.problem_warnings, problems, 3)", "w.problem_warnings")));
      }
      if (variant.equals("heartlog-invoker")) {
        // As before migration V10: no login is held to its workers.
        execute(url, replaceAll(resource("/db/heartlog/R__ingest.sql"), Map.of(
            "IF current_user <> session_user AND has_table_privilege('heartlog_writers'::regclass, 'SELECT') THEN",
            "IF false THEN")));
      }
      if (variant.equals("heartlog-json")) {
        // Not a wire heartlog could take: callers that cast their batch to jsonb would no longer
        // find the function. Measured only to put a number on the parse.
        execute(url, "DROP FUNCTION func_worker_heartbeat_with_logs(text, integer, integer, jsonb, text, text, text, bigint, jsonb)");
        execute(url, replaceAll(resource("/db/heartlog/R__ingest.sql"), Map.of(
            "logs_param            jsonb   DEFAULT '[]'::jsonb", "logs_param            json    DEFAULT '[]'::json",
            "IF jsonb_typeof(logs_param) = 'array' THEN\n        record_count := jsonb_array_length(logs_param);",
            "IF json_typeof(logs_param) = 'array' THEN\n        record_count := json_array_length(logs_param);",
            "FROM jsonb_to_recordset(logs_param) AS r(", "FROM json_to_recordset(logs_param) AS r(",
            "FROM jsonb_to_recordset(logs_param) AS t(", "FROM json_to_recordset(logs_param) AS t(",
            "heartlog_insert_logs_one_by_one(worker_id_param, logs_param, session_id_param)",
            "heartlog_insert_logs_one_by_one(worker_id_param, logs_param::jsonb, session_id_param)")));
      }
      if (variant.equals("heartlog-notify-every-call")) {
        // As before the notification was limited per connection: every call notifies.
        execute(url, "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET heartlog.notify_interval_ms = 0', "
            + "current_database()); END $$");
      }
      if (variant.equals("heartlog-bare")) {
        // Measured only: the same signature, so the same calls reach it.
        execute(url, resource("/bench/bare-function.sql"));
      }
      if (variant.equals("heartlog-quiet")) {
        String function = resource("/db/heartlog/R__ingest.sql")
            .replace("PERFORM pg_notify('heartlog_logs', worker_id_param);", "NULL;");
        execute(url, function);
      }
      if (variant.equals("heartlog-writers")) {
        // A store with a writer login: the function runs as its owner (README, "Database roles").
        // The load's own connections are the owner's, as for the other variants.
        execute(url, "INSERT INTO heartlog_writers VALUES ('heartlog_bench_writer', 'bench-')");
        execute(url, "SELECT heartlog_grant_roles()");
      }
    } else {
      execute(url, Fixtures.seedSchema());
      if (variant.equals("row-loop")) {
        execute(url, resource("/bench/row-loop-function.sql"));
      }
    }
    // 1,000 workers, as a fleet has; the seed's function updates rows that must exist.
    execute(url, "INSERT INTO workers (id) SELECT 'gpu-' || g FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING");
  }

  /** The type the variant's function takes its batch as: the wire contract's, but for heartlog-json. */
  static String logsType(String variant) {
    return variant.equals("heartlog-json") ? "json" : "jsonb";
  }

  /** The text with each key replaced by its value; each key must be there. */
  private static String replaceAll(String text, Map<String, String> replacements) {
    for (Map.Entry<String, String> replacement : replacements.entrySet()) {
      if (!text.contains(replacement.getKey())) {
        throw new IllegalStateException("not in the function any more: " + replacement.getKey());
      }
      text = text.replace(replacement.getKey(), replacement.getValue());
    }
    return text;
  }
}
