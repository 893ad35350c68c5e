package dev.heartlog.cli;

import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.HeartlogAgentBuilder;
import dev.heartlog.agent.PostgrestTransport;
import dev.heartlog.agent.PostgrestTransportBuilder;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where {@code heartlog run} sends its worker's heartbeats: over HTTP ({@code --url}, a Supabase
 * project or {@code heartlog serve}), else to the database of {@code --db-url}, else to the
 * embedded store.
 */
final class RunDestination {

  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:HEARTLOG_URL}",
      description = "Send heartbeats over HTTP to a Supabase project or heartlog serve (default $HEARTLOG_URL, else $SUPABASE_URL).")
  String url;

  @Option(names = "--key", paramLabel = "KEY", defaultValue = "${env:HEARTLOG_KEY}",
      description = "The API key for --url (default $HEARTLOG_KEY, else $SUPABASE_KEY).")
  String key;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:HEARTLOG_TOKEN}",
      description = "A token for --url, sent as the bearer with the key as apikey; heartlog token makes one "
          + "that may write only as this worker's ids (default $HEARTLOG_TOKEN).")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:HEARTLOG_TOKEN_FILE}",
      description = "Instead of --token, a file holding it, read again at every heartbeat: a token written there "
          + "is sent without a restart (default $HEARTLOG_TOKEN_FILE).")
  Path tokenFile;

  /**
   * The credentials the flags give for HTTP: the key ({@code SUPABASE_KEY} where it is the one
   * sent), the token, and what the token file holds now. Empty where none are.
   */
  List<String> credentials(AgentEnvironment environment) {
    List<String> credentials = new ArrayList<>();
    boolean http = url != null || environment.get("SUPABASE_URL").isPresent();
    if (http) {
      credentials.add(key != null ? key : environment.get("SUPABASE_KEY").orElse(null));
    }
    credentials.add(token);
    if (tokenFile != null) {
      try {
        credentials.add(Files.readString(tokenFile).strip());
      } catch (IOException | UncheckedIOException e) {
        // The transport says so at its first heartbeat; there is nothing to mask.
      }
    }
    credentials.removeIf(Objects::isNull);
    return credentials;
  }

  /**
   * Gives {@code builder} the transport the flags name: HTTP, a database, or the embedded store,
   * which it opens and returns (null for the others).
   */
  StoreOptions.Opened setTransport(HeartlogAgentBuilder builder, AgentEnvironment environment, StoreOptions storeOptions,
      CommandSpec spec) {
    String httpUrl = url != null ? url : environment.get("SUPABASE_URL").orElse(null);
    if (httpUrl != null) {
      String httpKey = key != null ? key : environment.get("SUPABASE_KEY").orElseThrow(
          () -> new ParameterException(spec.commandLine(), "--url needs --key (or HEARTLOG_KEY / SUPABASE_KEY)"));
      PostgrestTransportBuilder http = PostgrestTransport.builder().baseUrl(httpUrl).key(httpKey);
      if (token != null && !token.isBlank() && tokenFile != null) {
        throw new ParameterException(spec.commandLine(), "give --token or --token-file, not both");
      }
      if (token != null && !token.isBlank()) {
        http.token(token);
      }
      if (tokenFile != null) {
        http.tokenFile(tokenFile);
      }
      builder.transport(http.build());
      return null;
    }
    if (!storeOptions.isEmbedded()) {
      // Not opened here: a database that is down must not keep the worker from starting. The
      // agent keeps its records in the spool until the database answers.
      builder.transport(JdbcTransport.builder().url(storeOptions.url).user(storeOptions.user).password(storeOptions.password).build());
      return null;
    }
    // The home folder's spool, beside the store, unless HEARTLOG_SPOOL_DIR names another (a
    // larger disk than the home's) or turns it off; before, the home's was used all the same.
    Optional<String> spoolVariable = environment.get("HEARTLOG_SPOOL_DIR");
    String later = " for a start of this worker that finds the store";
    String whereTheyWait;
    if (spoolVariable.isEmpty()) {
      Path spool = storeOptions.home.resolve("spool");
      builder.spoolDirectory(spool);
      whereTheyWait = "wait in " + spool.toAbsolutePath() + later;
    } else if (AgentEnvironment.turnsSpoolOff(spoolVariable.get())) {
      whereTheyWait = "wait in memory only, and are lost at its exit (HEARTLOG_SPOOL_DIR is " + spoolVariable.get() + ")";
    } else {
      whereTheyWait = "wait in " + Path.of(spoolVariable.get()).toAbsolutePath() + later;
    }
    try {
      StoreOptions.Opened embedded = storeOptions.open();
      builder.transport(JdbcTransport.builder().url(embedded.jdbcUrl()).build());
      return embedded;
    } catch (StoreException e) {
      // An embedded server that will not start is a store that is down, as a database is: the
      // worker runs all the same, and its records wait in the spool for the next start.
      spec.commandLine().getErr().println("heartlog: " + e.getMessage() + "; the worker runs all the same, and its "
          + "records " + whereTheyWait);
      spec.commandLine().getErr().flush();
      builder.transport(heartbeat -> DeliveryResult.failed("the embedded PostgreSQL did not start"));
      return null;
    }
  }

}
