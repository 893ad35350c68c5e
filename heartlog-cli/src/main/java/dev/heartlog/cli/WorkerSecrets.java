package dev.heartlog.cli;

import dev.heartlog.agent.Credentials;
import dev.heartlog.agent.PostgresUrl;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The credentials of heartlog's that {@code heartlog run} knows, kept out of what it stores of
 * the worker it runs. The variables that hold them are not passed on to the worker, which has no
 * use for them; and where the worker prints one all the same (a database URL it shares with
 * heartlog, a shell's trace of a command given the key), the record holds {@link #MASK} in its
 * place, as heartlog's own messages show a password. What the worker prints is passed on to the
 * terminal as printed.
 */
final class WorkerSecrets {

  /** What a record holds in a credential's place: what heartlog's own messages show of a password. */
  static final String MASK = Credentials.MASK;
  /** heartlog's variables whose values are credentials: a key list's keys are masked each. */
  static final Set<String> VARIABLES = Set.of("HEARTLOG_DB_PASSWORD", "HEARTLOG_KEY", "HEARTLOG_TOKEN",
      "HEARTLOG_JWT_SECRET", "HEARTLOG_READER_KEY", "HEARTLOG_READER_KEYS", "HEARTLOG_WRITER_KEY", "HEARTLOG_WRITER_KEYS");
  /** The database URL, not passed on where it holds a password. */
  private static final String DB_URL = "HEARTLOG_DB_URL";

  static final WorkerSecrets NONE = new WorkerSecrets(List.of());

  /** The values, masked as the agent masks them in a JVM worker's records. */
  private final Credentials values;

  private WorkerSecrets(Collection<String> values) {
    this.values = Credentials.of(values);
  }

  /**
   * The credentials heartlog run sends with and those its variables hold.
   *
   * @param inUse the values heartlog run connects with: a password, an API key, a token (nulls skipped)
   * @param databaseUrl the database's URL, whose password is a credential too (null for none)
   * @param environment heartlog run's environment, whose {@link #VARIABLES} are read
   */
  static WorkerSecrets of(Collection<String> inUse, String databaseUrl, Map<String, String> environment) {
    Set<String> values = new LinkedHashSet<>(inUse);
    values.addAll(PostgresUrl.passwordsIn(databaseUrl));
    values.addAll(PostgresUrl.passwordsIn(environment.get(DB_URL)));
    for (String name : VARIABLES) {
      String value = environment.get(name);
      if (value == null) {
        continue;
      }
      values.add(value);
      if (name.endsWith("_KEYS")) {
        for (String entry : value.split(",")) {   // key[:prefix],...
          int colon = entry.indexOf(':');
          values.add((colon < 0 ? entry : entry.substring(0, colon)).strip());
        }
      }
    }
    return new WorkerSecrets(values);
  }

  /** {@code text} with each credential in it replaced by {@link #MASK}. */
  String mask(String text) {
    return values.mask(text);
  }

  /** Each part of {@code command}, masked. */
  List<String> mask(List<String> command) {
    return values.isEmpty() ? command : command.stream().map(this::mask).toList();
  }

  /**
   * Takes heartlog's credentials out of the environment the worker starts with: {@link
   * #VARIABLES}, and the database URL where it holds a password. heartlog's other settings stay.
   */
  static void removeFrom(Map<String, String> environment) {
    environment.keySet().removeAll(VARIABLES);
    String url = environment.get(DB_URL);
    if (url != null && !PostgresUrl.redact(url).equals(url)) {
      environment.remove(DB_URL);
    }
  }
}
