package dev.heartlog.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code HEARTLOG_*} environment variables heartlog reads, in the agent, {@code heartlog run},
 * {@code heartlog serve}, the other commands, {@code bin/heartlog}, the benchmarks and the tests;
 * and the warnings for the others the environment sets. A misspelt setting is otherwise ignored
 * without a word: {@code HEARTLOG_SPOOL_DIRECTORY=/data/spool} left the spool in the working
 * folder, lost with the container.
 */
final class HeartlogVariables {

  /** Every variable heartlog reads; HeartlogVariablesTest finds each one the sources name here. */
  static final Set<String> KNOWN = Set.of(
      "HEARTLOG_BIND", "HEARTLOG_BUFFER_SIZE", "HEARTLOG_COMMAND", "HEARTLOG_CORS_ORIGINS", "HEARTLOG_DB_PASSWORD", "HEARTLOG_DB_POOL",
      "HEARTLOG_DB_URL", "HEARTLOG_DB_USER", "HEARTLOG_DEBUG", "HEARTLOG_HEARTBEAT_INTERVAL", "HEARTLOG_HOME", "HEARTLOG_HTTP_GZIP",
      "HEARTLOG_JAVA_OPTS", "HEARTLOG_JWT_SECRET", "HEARTLOG_KEEP_REPEATS", "HEARTLOG_KEY", "HEARTLOG_KEYS_FILE", "HEARTLOG_LEVELS",
      "HEARTLOG_MASK_VARIABLES", "HEARTLOG_MAX_BUFFERED_BYTES", "HEARTLOG_MAX_BUFFERED_RECORDS", "HEARTLOG_MAX_RETRY_DELAY",
      "HEARTLOG_NVIDIA_SMI", "HEARTLOG_PORT", "HEARTLOG_PYTHON_FORMAT", "HEARTLOG_READER_KEY", "HEARTLOG_READER_KEYS",
      "HEARTLOG_RETENTION", "HEARTLOG_SHUTDOWN_TIMEOUT", "HEARTLOG_SPOOL_DIR", "HEARTLOG_SPOOL_MAX_BYTES", "HEARTLOG_SPOOL_SYNC",
      "HEARTLOG_STOP_GRACE",
      "HEARTLOG_STOP_SIGNAL", "HEARTLOG_TEST_JDBC_URL", "HEARTLOG_TEST_PGCRON_URL", "HEARTLOG_TOKEN", "HEARTLOG_TOKEN_FILE", "HEARTLOG_URL",
      "HEARTLOG_WORKER_ID", "HEARTLOG_WRITER_KEY", "HEARTLOG_WRITER_KEYS");

  private static final String PREFIX = "HEARTLOG_";

  private HeartlogVariables() {}

  /**
   * A sentence for each {@code HEARTLOG_*} variable of {@code environment} heartlog does not read,
   * naming the setting it most likely meant; none when every one is known.
   */
  static List<String> unknown(Map<String, String> environment) {
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(environment.keySet())) {
      if (name.startsWith(PREFIX) && !KNOWN.contains(name)) {
        String meant = closest(name);
        warnings.add(name + " is set, but heartlog reads no such variable"
            + (meant == null ? " (README, Configuration, lists them)" : ": did you mean " + meant + "?"));
      }
    }
    return warnings;
  }

  /**
   * The known name {@code name} most likely stands for: one that holds it or that it holds, past
   * the prefix ({@code HEARTLOG_SPOOL_DIRECTORY}, {@code HEARTLOG_WORKER}), else one a few letters
   * apart ({@code HEARTLOG_WORKERID}); the nearer of several. Null when none is that near.
   */
  private static String closest(String name) {
    String part = name.substring(PREFIX.length());
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    boolean bestHolds = false;
    for (String known : new TreeSet<>(KNOWN)) {
      String knownPart = known.substring(PREFIX.length());
      boolean holds = !part.isEmpty() && (part.contains(knownPart) || knownPart.contains(part));
      int distance = distance(part, knownPart);
      if ((holds && !bestHolds) || (holds == bestHolds && distance < bestDistance)) {
        best = known;
        bestDistance = distance;
        bestHolds = holds;
      }
    }
    return bestHolds || bestDistance <= Math.max(2, part.length() / 3) ? best : null;
  }

  /** Levenshtein's distance: the fewest letters inserted, deleted or replaced between the two. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
