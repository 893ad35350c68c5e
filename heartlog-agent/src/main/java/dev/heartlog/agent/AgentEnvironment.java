package dev.heartlog.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * The one place that reads configuration from the environment and system properties and maps
 * it onto {@link HeartlogAgentBuilder}. A system property {@code heartlog.x.y} wins over the
 * environment variable {@code HEARTLOG_X_Y}; the seed's names are read too.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>variable</th><th>meaning</th></tr>
 *   <tr><td>{@code HEARTLOG_WORKER_ID}</td><td>the worker id</td></tr>
 *   <tr><td>{@code HEARTLOG_DB_URL}, {@code HEARTLOG_DB_USER}, {@code HEARTLOG_DB_PASSWORD}</td>
 *       <td>where heartbeats go (JDBC); without a user or password there, or in the URL,
 *       {@code PGUSER} and {@code PGPASSWORD}, as psql reads them, then {@code ~/.pgpass}</td></tr>
 *   <tr><td>{@code HEARTLOG_URL} and {@code HEARTLOG_KEY}, or {@code SUPABASE_URL} and
 *       {@code SUPABASE_KEY}</td><td>where heartbeats go (HTTP, PostgREST dialect), unless a
 *       JDBC URL is set</td></tr>
 *   <tr><td>{@code HEARTLOG_TOKEN}</td><td>a token sent as the bearer over HTTP, the key still as
 *       {@code apikey} ({@code heartlog token} makes one that holds a worker to its ids)</td></tr>
 *   <tr><td>{@code HEARTLOG_TOKEN_FILE}</td><td>instead, a file holding the token, read again at
 *       every heartbeat: a token written there is sent without a restart</td></tr>
 *   <tr><td>{@code HEARTLOG_HTTP_GZIP}</td><td>{@code auto}, {@code on} or {@code off}</td></tr>
 *   <tr><td>{@code HEARTBEAT_INTERVAL} or {@code HEARTLOG_HEARTBEAT_INTERVAL}</td>
 *       <td>seconds between heartbeats ({@code 20}, {@code 20s}, {@code 500ms})</td></tr>
 *   <tr><td>{@code LOG_BUFFER_SIZE} or {@code HEARTLOG_BUFFER_SIZE}</td>
 *       <td>records that make a heartbeat due at once</td></tr>
 *   <tr><td>{@code HEARTLOG_MAX_BUFFERED_RECORDS}, {@code HEARTLOG_MAX_BUFFERED_BYTES}</td>
 *       <td>the most records, and bytes ({@code 64m}), kept in memory</td></tr>
 *   <tr><td>{@code WAN2GP_DEBUG} or {@code HEARTLOG_DEBUG}</td><td>{@code 1} keeps DEBUG records</td></tr>
 *   <tr><td>{@code HEARTLOG_KEEP_REPEATS}</td><td>{@code 1} keeps every record of a flood of one record (default: counted past the tenth)</td></tr>
 *   <tr><td>{@code HEARTLOG_LEVELS}</td><td>the least severe level kept per component
 *       ({@code WARNING,GENERATOR=DEBUG}; see {@link ComponentLevels})</td></tr>
 *   <tr><td>{@code HEARTLOG_MASK_VARIABLES}</td><td>variables whose values are masked as {@code ***}
 *       in records ({@code HF_TOKEN,*_SECRET_KEY}; see {@link MaskedVariables})</td></tr>
 *   <tr><td>{@code HEARTLOG_NVIDIA_SMI}</td><td>the {@code nvidia-smi} command to run</td></tr>
 *   <tr><td>{@code CUDA_VISIBLE_DEVICES}</td><td>the GPUs whose memory is reported (all, unset)</td></tr>
 *   <tr><td>{@code CUDA_DEVICE_ORDER}</td><td>{@code PCI_BUS_ID}: CUDA numbers the GPUs as nvidia-smi does</td></tr>
 *   <tr><td>{@code HEARTLOG_SHUTDOWN_TIMEOUT}</td><td>how long shutdown may take (at the JVM's exit, half of it
 *       for what the worker's own shutdown hooks still log)</td></tr>
 *   <tr><td>{@code HEARTLOG_SPOOL_DIR}</td><td>the spool's folder, or {@code off}</td></tr>
 *   <tr><td>{@code HEARTLOG_SPOOL_MAX_BYTES}</td><td>the spool's size bound ({@code 256m}, {@code 1g})</td></tr>
 *   <tr><td>{@code HEARTLOG_SPOOL_SYNC}</td><td>{@code always}, {@code never} or an interval ({@code 1s})</td></tr>
 *   <tr><td>{@code HEARTLOG_MAX_RETRY_DELAY}</td><td>longest wait between attempts</td></tr>
 * </table>
 */
public final class AgentEnvironment {

  private final Map<String, String> environment;
  private final Properties properties;

  private AgentEnvironment(Map<String, String> environment, Properties properties) {
    this.environment = environment;
    this.properties = properties;
  }

  /** The process's environment and system properties. */
  public static AgentEnvironment current() {
    return new AgentEnvironment(System.getenv(), System.getProperties());
  }

  /** Given values; for tests and for callers that hold their own configuration. */
  public static AgentEnvironment of(Map<String, String> environment, Properties properties) {
    return new AgentEnvironment(Map.copyOf(environment), properties);
  }

  /**
   * A sentence for each {@code HEARTLOG_*} variable set here that heartlog does not read (a
   * misspelt setting, otherwise ignored without a word), naming the one it likely meant.
   */
  public List<String> unknownVariables() {
    return HeartlogVariables.unknown(environment);
  }

  /** Whether a value of {@code HEARTLOG_SPOOL_DIR} turns the spool off: {@code off} or {@code none}, in any case. */
  public static boolean turnsSpoolOff(String spoolDir) {
    return spoolDir.equalsIgnoreCase("off") || spoolDir.equalsIgnoreCase("none");
  }

  /** The value of {@code HEARTLOG_NAME} (or its property {@code heartlog.name}), if set. */
  public Optional<String> get(String name, String... seedNames) {
    return setting(name, seedNames).map(Setting::value);
  }

  /** A value, and the name it was set under: a variable, or a system property. */
  private record Setting(String name, String value) {}

  /**
   * The value of {@code HEARTLOG_NAME} (its property {@code heartlog.name} first, the seed's
   * names after), with the name it was found under, which an error about it names: a worker that
   * set {@code HEARTLOG_BUFFER_SIZE=lots} was told that {@code LOG_BUFFER_SIZE} must be a whole
   * number, a variable it had never set.
   */
  private Optional<Setting> setting(String name, String... seedNames) {
    String propertyName = name.toLowerCase(Locale.ROOT).replace('_', '.');
    String property = properties.getProperty(propertyName);
    if (property != null && !property.isBlank()) {
      return Optional.of(new Setting(propertyName, property.trim()));
    }
    for (String variable : concat(name, seedNames)) {
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        return Optional.of(new Setting(variable, value.trim()));
      }
    }
    return Optional.empty();
  }

  private static List<String> concat(String first, String... rest) {
    List<String> names = new java.util.ArrayList<>(rest.length + 1);
    names.add(first);
    names.addAll(List.of(rest));
    return names;
  }

  /** The configured destination, if {@code HEARTLOG_DB_URL} is set. */
  public Optional<Destination> destination() {
    return get("HEARTLOG_DB_URL").map(url -> {
      // psql's variables come after heartlog's own; the URL's user and password win over both.
      String user = get("HEARTLOG_DB_USER", "PGUSER").orElse(null);
      String password = get("HEARTLOG_DB_PASSWORD", "PGPASSWORD").orElse(null);
      // A postgresql:// URI (libpq's, Supabase's) becomes the JDBC URL the driver takes.
      return PostgresUrl.isPostgres(url) ? PostgresUrl.destination(url, user, password) : new Destination(url, user, password);
    });
  }

  /**
   * A builder with every setting this environment names applied; the caller may override any of
   * them before {@code build()}.
   *
   * @throws IllegalArgumentException when a value is malformed, naming the variable
   */
  public HeartlogAgentBuilder agentBuilder() {
    List<String> warnings = new ArrayList<>(unknownVariables());
    HeartlogAgentBuilder builder = HeartlogAgent.builder();
    get("HEARTLOG_WORKER_ID").ifPresent(builder::workerId);
    setting("HEARTLOG_HEARTBEAT_INTERVAL", "HEARTBEAT_INTERVAL")
        .ifPresent(s -> builder.heartbeatInterval(positiveDuration(s.name(), s.value())));
    setting("HEARTLOG_BUFFER_SIZE", "LOG_BUFFER_SIZE").ifPresent(s -> builder.bufferSize(integer(s.name(), s.value())));
    applyMaxBuffered(builder);
    builder.debug(debug());
    get("HEARTLOG_KEEP_REPEATS").map(AgentEnvironment::truthy).ifPresent(builder::keepRepeats);
    setting("HEARTLOG_LEVELS").ifPresent(s -> {
      try {
        builder.levels(s.value());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage().replaceFirst("^levels", s.name()), e);
      }
    });
    setting("HEARTLOG_MASK_VARIABLES").ifPresent(s -> {
      MaskedVariables masked;
      try {
        masked = MaskedVariables.parse(s.value());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(s.name() + ": " + e.getMessage(), e);
      }
      builder.maskVariables(masked.in(environment));
      masked.unset(environment).forEach(name -> warnings.add(s.name() + " names " + name
          + ", which is not set: nothing of it is masked"));
    });
    builder.startWarnings(warnings);
    get("HEARTLOG_NVIDIA_SMI").ifPresent(builder::nvidiaSmi);
    // Read as it is, blank included: CUDA_VISIBLE_DEVICES="" hides every GPU.
    String cudaVisibleDevices = environment.get("CUDA_VISIBLE_DEVICES");
    if (cudaVisibleDevices != null) {
      builder.cudaVisibleDevices(cudaVisibleDevices);
    }
    get("CUDA_DEVICE_ORDER").ifPresent(builder::cudaDeviceOrder);
    setting("HEARTLOG_SHUTDOWN_TIMEOUT").ifPresent(s -> builder.shutdownTimeout(positiveDuration(s.name(), s.value())));
    setting("HEARTLOG_MAX_RETRY_DELAY").ifPresent(s -> builder.maxRetryDelay(positiveDuration(s.name(), s.value())));
    get("HEARTLOG_SPOOL_DIR").ifPresent(v -> {
      if (turnsSpoolOff(v)) {
        builder.noSpool();
      } else {
        builder.spoolDirectory(java.nio.file.Path.of(v));
      }
    });
    setting("HEARTLOG_SPOOL_MAX_BYTES").ifPresent(s -> builder.spoolMaxBytes(bytes(s.name(), s.value())));
    setting("HEARTLOG_SPOOL_SYNC").ifPresent(s -> applySpoolSync(builder, s));
    transport().ifPresent(builder::transport);
    return builder;
  }

  /**
   * The transport the environment names: JDBC for {@code HEARTLOG_DB_URL}, else HTTP for
   * {@code HEARTLOG_URL}/{@code SUPABASE_URL} with its key.
   *
   * @throws IllegalArgumentException when a URL is set without what it needs
   */
  public Optional<Transport> transport() {
    Optional<Destination> database = destination();
    if (database.isPresent()) {
      return Optional.of(transportFor(database.get()));
    }
    Optional<String> url = get("HEARTLOG_URL", "SUPABASE_URL");
    if (url.isEmpty()) {
      return Optional.empty();
    }
    String key = get("HEARTLOG_KEY", "SUPABASE_KEY", "SUPABASE_SERVICE_ROLE_KEY")
        .orElseThrow(() -> new IllegalArgumentException(
            url.get() + " needs a key: set HEARTLOG_KEY (or SUPABASE_KEY)"));
    PostgrestTransportBuilder http = PostgrestTransport.builder().baseUrl(url.get()).key(key);
    if (get("HEARTLOG_TOKEN").isPresent() && get("HEARTLOG_TOKEN_FILE").isPresent()) {
      throw new IllegalArgumentException("set HEARTLOG_TOKEN or HEARTLOG_TOKEN_FILE, not both");
    }
    get("HEARTLOG_TOKEN").ifPresent(http::token);
    get("HEARTLOG_TOKEN_FILE").map(Path::of).ifPresent(http::tokenFile);
    get("HEARTLOG_HTTP_GZIP").ifPresent(v -> {
      try {
        http.gzip(PostgrestTransportBuilder.parseGzip(v));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("HEARTLOG_HTTP_GZIP must be auto, on or off (got '" + v + "')");
      }
    });
    return Optional.of(http.build());
  }

  private static void applySpoolSync(HeartlogAgentBuilder builder, Setting setting) {
    String value = setting.value();
    switch (value.toLowerCase(Locale.ROOT)) {
      case "always" -> builder.spoolSync(SpoolSync.ALWAYS, HeartlogAgent.DEFAULT_SPOOL_SYNC_INTERVAL);
      case "never" -> builder.spoolSync(SpoolSync.NEVER, HeartlogAgent.DEFAULT_SPOOL_SYNC_INTERVAL);
      case "interval" -> builder.spoolSync(SpoolSync.INTERVAL, HeartlogAgent.DEFAULT_SPOOL_SYNC_INTERVAL);
      default -> builder.spoolSync(SpoolSync.INTERVAL, positiveDuration(setting.name(), value));
    }
  }

  /**
   * Parses a size: {@code 1048576}, {@code 512k}, {@code 256m}, {@code 1g} (powers of 1024).
   *
   * @throws IllegalArgumentException naming the setting when the value is not a size
   */
  public static long bytes(String setting, String value) {
    String text = value.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    long unit = 1;
    if (!text.isEmpty() && "kmg".indexOf(text.charAt(text.length() - 1)) >= 0) {
      unit = 1L << (10 * ("kmg".indexOf(text.charAt(text.length() - 1)) + 1));
      text = text.substring(0, text.length() - 1);
    }
    try {
      long amount = Long.parseLong(text.trim());
      if (amount <= 0) {
        throw new NumberFormatException();
      }
      return amount * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + " must be a size such as 256m or 1g (got '" + value + "')");
    }
  }

  /** The memory's capacity where either variable is set; the other keeps its default. */
  private void applyMaxBuffered(HeartlogAgentBuilder builder) {
    Optional<Setting> records = setting("HEARTLOG_MAX_BUFFERED_RECORDS");
    Optional<Setting> bytes = setting("HEARTLOG_MAX_BUFFERED_BYTES");
    if (records.isPresent() || bytes.isPresent()) {
      builder.maxBuffered(
          records.map(s -> positive(s.name(), s.value())).orElse(HeartlogAgent.DEFAULT_MAX_BUFFERED_RECORDS),
          bytes.map(s -> bytes(s.name(), s.value())).orElse(HeartlogAgent.DEFAULT_MAX_BUFFERED_BYTES));
    }
  }

  /** Whether debug mode is on: {@code HEARTLOG_DEBUG} or the seed's {@code WAN2GP_DEBUG}. */
  public boolean debug() {
    return get("HEARTLOG_DEBUG", "WAN2GP_DEBUG").map(AgentEnvironment::truthy).orElse(false);
  }

  /**
   * Finds a registered {@link TransportProvider} for the destination.
   *
   * @throws IllegalArgumentException when none handles its URL
   */
  public static Transport transportFor(Destination destination) {
    for (TransportProvider provider : ServiceLoader.load(TransportProvider.class, AgentEnvironment.class.getClassLoader())) {
      Optional<Transport> transport = provider.create(destination);
      if (transport.isPresent()) {
        return transport.get();
      }
    }
    throw new IllegalArgumentException(
        "no transport for " + destination.url() + ": a jdbc:postgresql:// URL needs heartlog-jdbc on the classpath");
  }

  /**
   * Parses {@code 20} (seconds), {@code 20s}, {@code 500ms}, {@code 5m} or {@code 1h}, at most
   * {@link HeartlogAgent#LONGEST_DURATION}: no length of time heartlog reads is longer, and a
   * longer one is a slip (HEARTBEAT_INTERVAL=20000, meant as milliseconds). A value of 20 digits
   * overflowed the agent's counts of time: every heartbeat failed (HEARTBEAT_INTERVAL), or the
   * heartbeat thread died (HEARTLOG_SHUTDOWN_TIMEOUT).
   *
   * @throws IllegalArgumentException naming the setting when the value is none of those or too long
   */
  public static Duration duration(String setting, String value) {
    Duration parsed = anyDuration(setting, value);
    if (parsed.compareTo(HeartlogAgent.LONGEST_DURATION) > 0) {
      throw new IllegalArgumentException(setting + " must be at most " + HeartlogAgent.LONGEST_DURATION.toHours()
          + "h (got '" + value + "')");
    }
    return parsed;
  }

  /** {@link #duration} of more than zero, for a setting that takes none other. */
  private static Duration positiveDuration(String setting, String value) {
    Duration parsed = duration(setting, value);
    if (parsed.isZero() || parsed.isNegative()) {
      throw new IllegalArgumentException(setting + " must be positive (got '" + value + "')");
    }
    return parsed;
  }

  private static Duration anyDuration(String setting, String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      char unit = text.charAt(text.length() - 1);
      String number = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1);
      double amount = Double.parseDouble(number);
      double seconds =
          switch (unit) {
            case 'm' -> amount * 60;
            case 'h' -> amount * 3600;
            case 's' -> amount;
            default -> {
              if (!Character.isDigit(unit)) {
                throw new NumberFormatException();
              }
              yield amount;
            }
          };
      return Duration.ofMillis(Math.round(seconds * 1000));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          setting + " must be a duration such as 20, 20s, 500ms or 5m (got '" + value + "')");
    }
  }

  private static int positive(String setting, String value) {
    int number = integer(setting, value);
    if (number <= 0) {
      throw new IllegalArgumentException(setting + " must be positive (got '" + value + "')");
    }
    return number;
  }

  private static int integer(String setting, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + " must be a whole number (got '" + value + "')");
    }
  }

  private static boolean truthy(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      default -> false;
    };
  }
}
