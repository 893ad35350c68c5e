package dev.heartlog.agent;

import dev.heartlog.agent.PostgrestTransport.Gzip;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Builds a {@link PostgrestTransport}; the base URL and the key are required. */
public final class PostgrestTransportBuilder {
  // Package-private: PostgrestTransport's constructor reads them.
  String baseUrl;
  String key;
  String token;
  Path tokenFile;
  Gzip gzip = Gzip.AUTO;
  Duration connectTimeout = Duration.ofSeconds(5);
  Duration requestTimeout = PostgrestTransport.DEFAULT_REQUEST_TIMEOUT;
  Duration functionRetryInterval = PostgrestTransport.DEFAULT_FUNCTION_RETRY_INTERVAL;
  Clock clock = Clock.systemUTC();
  HttpClient client;
  /** Where the proxy variables are read; the process's environment but in tests. */
  Map<String, String> environment = System.getenv();

  PostgrestTransportBuilder() {}

  /**
   * Sends through this client instead of one of its own; for many agents in one process, which
   * then share its connections and its selector thread. Its connect timeout applies.
   */
  public PostgrestTransportBuilder httpClient(HttpClient client) {
    this.client = Objects.requireNonNull(client, "http client must not be null");
    return this;
  }

  /** The project URL, as {@code SUPABASE_URL} gives it: {@code https://xyz.supabase.co}. */
  public PostgrestTransportBuilder baseUrl(String url) {
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException("the URL must start with http:// or https:// (got " + url + ")");
    }
    this.baseUrl = url.trim();
    return this;
  }

  /** The API key, sent as {@code apikey}, and as the bearer unless a {@link #token} is set; never printed. */
  public PostgrestTransportBuilder key(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("the API key must not be blank");
    }
    this.key = key.trim();
    return this;
  }

  /**
   * A token (JWT) sent as the bearer instead of the key, which still goes as {@code apikey}:
   * Supabase's gateway wants the project's key there and PostgREST reads the token. One from
   * {@code heartlog token --workers PREFIX} lets the worker write only as the workers whose id
   * starts with PREFIX. Never printed.
   */
  public PostgrestTransportBuilder token(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the token must not be blank");
    }
    this.token = token.trim();
    return this;
  }

  /**
   * Like {@link #token}, but read from a file at every heartbeat, so that a token written there
   * (rotated, or made anew after {@code heartlog revoke --tokens}) is sent from the next
   * heartbeat on, without a restart. A heartbeat whose token file cannot be read, or is empty,
   * fails and its records wait.
   */
  public PostgrestTransportBuilder tokenFile(Path file) {
    this.tokenFile = Objects.requireNonNull(file, "token file must not be null");
    return this;
  }

  /** When bodies are compressed; default {@link Gzip#AUTO}. */
  public PostgrestTransportBuilder gzip(Gzip gzip) {
    this.gzip = Objects.requireNonNull(gzip, "gzip must not be null");
    return this;
  }

  public PostgrestTransportBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = Objects.requireNonNull(timeout);
    return this;
  }

  /** Default {@link PostgrestTransport#DEFAULT_REQUEST_TIMEOUT}. */
  public PostgrestTransportBuilder requestTimeout(Duration timeout) {
    this.requestTimeout = Objects.requireNonNull(timeout);
    return this;
  }

  /** Default {@link PostgrestTransport#DEFAULT_FUNCTION_RETRY_INTERVAL}. */
  public PostgrestTransportBuilder functionRetryInterval(Duration interval) {
    if (interval == null || interval.isNegative()) {
      throw new IllegalArgumentException("function retry interval must not be negative");
    }
    this.functionRetryInterval = interval;
    return this;
  }

  public PostgrestTransportBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return this;
  }

  /** Reads the proxy variables ({@code https_proxy}, {@code no_proxy}) from this map instead of the environment. */
  PostgrestTransportBuilder environment(Map<String, String> environment) {
    this.environment = Objects.requireNonNull(environment);
    return this;
  }

  /**
   * Without an {@link #httpClient} of the caller's, requests go through the proxy the environment
   * names for the URL ({@code https_proxy}, {@code http_proxy}, {@code no_proxy}, as curl reads
   * them), unless the JVM's own proxy properties ({@code https.proxyHost}) are set, which the
   * JDK's client follows.
   *
   * @throws IllegalStateException when the URL or key is missing, or both a token and a token file are set
   * @throws IllegalArgumentException when a proxy variable cannot be used (see {@link EnvironmentProxy})
   */
  public PostgrestTransport build() {
    if (baseUrl == null || key == null) {
      throw new IllegalStateException("the URL and the API key are required (SUPABASE_URL and SUPABASE_KEY, or HEARTLOG_URL and HEARTLOG_KEY)");
    }
    if (token != null && tokenFile != null) {
      throw new IllegalStateException("give a token or a token file, not both (HEARTLOG_TOKEN or HEARTLOG_TOKEN_FILE)");
    }
    return new PostgrestTransport(this);
  }

  static Gzip parseGzip(String value) {
    return Gzip.valueOf(value.trim().toUpperCase(Locale.ROOT));
  }
}
