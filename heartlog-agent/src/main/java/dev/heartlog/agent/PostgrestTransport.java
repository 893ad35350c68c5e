package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Sends heartbeats over HTTP in PostgREST's RPC dialect, as Supabase clients do: {@code POST
 * {base}/rest/v1/rpc/func_worker_heartbeat_with_logs} with the named arguments as a JSON object
 * and the headers {@code apikey} and {@code Authorization: Bearer}: the API key in both, or, with a
 * {@linkplain PostgrestTransportBuilder#token(String) token}, the token as the bearer (a token
 * from {@code heartlog token} holds the worker to its ids). Works against Supabase, a plain
 * PostgREST, and {@code heartlog serve}.
 *
 * <p>Answers are read as PostgREST gives them. 404 with code {@code PGRST202} (no function takes
 * these arguments) steps down to the seed's five arguments, then to the seed's fallback, {@code
 * PATCH {base}/rest/v1/workers?id=eq.<id>}; records are kept and the function is tried again
 * every {@link PostgrestTransportBuilder#functionRetryInterval(Duration) functionRetryInterval}.
 * 408, 429, 5xx and network errors are failures to retry, honouring {@code Retry-After}. Any other
 * 4xx rejects the batch: sending it again would not help.
 *
 * <p>Bodies over {@link #GZIP_THRESHOLD_BYTES} are gzip-compressed when the server said it
 * accepts that ({@code Accept-Encoding: gzip} in a response, which {@code heartlog serve} sends),
 * or always when {@link PostgrestTransportBuilder#gzip(Gzip)} says so. Used by the heartbeat
 * thread only.
 */
public final class PostgrestTransport implements Transport {

  /** Bodies larger than this are compressed where the server accepts gzip. */
  public static final int GZIP_THRESHOLD_BYTES = 8 * 1024;
  /** How often a missing function is looked for again: 5 minutes. */
  public static final Duration DEFAULT_FUNCTION_RETRY_INTERVAL = Duration.ofMinutes(5);
  /** How long one call may take: 30 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  static final String FUNCTION = "func_worker_heartbeat_with_logs";
  /** The most characters of an error's message, details or hint that a failure's description keeps. */
  static final int LONGEST_ERROR_PART = 300;
  private static final JsonFactory JSON = new JsonFactory();

  /** When request bodies are compressed. */
  public enum Gzip {
    /** When the server advertised gzip ({@code Accept-Encoding: gzip} in a response). */
    AUTO,
    /** Always, for bodies over the threshold. */
    ON,
    /** Never: plain PostgREST rejects compressed bodies. */
    OFF
  }

  private final URI rpc;
  private final String restBase;
  private final String key;
  /** Sent as the bearer when set, else the key is; from the token file when there is one. */
  private volatile BearerToken token;
  private final TokenFile tokenFile;
  private final Gzip gzip;
  private final Duration requestTimeout;
  private final Clock clock;
  private final HttpClient client;
  /** The environment's proxy the client goes through, or null. */
  private final InetSocketAddress proxy;
  private final FunctionLadder ladder;
  private boolean serverAcceptsGzip;

  PostgrestTransport(PostgrestTransportBuilder builder) {
    String base = builder.baseUrl.endsWith("/") ? builder.baseUrl.substring(0, builder.baseUrl.length() - 1) : builder.baseUrl;
    // The project's URL, as Supabase's clients take it; its REST URL, pasted from the dashboard's
    // API settings, is read as the same (it had every heartbeat answered 404).
    base = base.endsWith("/rest/v1") ? base.substring(0, base.length() - "/rest/v1".length()) : base;
    this.restBase = base + "/rest/v1";
    this.rpc = URI.create(restBase + "/rpc/" + FUNCTION);
    this.key = builder.key;
    this.token = builder.token == null ? null : BearerToken.of(builder.token);
    this.tokenFile = builder.tokenFile == null ? null : new TokenFile(builder.tokenFile);
    this.gzip = builder.gzip;
    this.requestTimeout = builder.requestTimeout;
    this.clock = builder.clock;
    this.ladder = new FunctionLadder(builder.functionRetryInterval, builder.clock);
    this.proxy = builder.client != null || jvmProxyConfigured() ? null
        : EnvironmentProxy.forTarget(rpc, builder.environment).orElse(null);
    this.client = builder.client != null ? builder.client : client(builder.connectTimeout, proxy);
  }

  private static HttpClient client(Duration connectTimeout, InetSocketAddress proxy) {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(connectTimeout);
    if (proxy != null) {
      client.proxy(ProxySelector.of(proxy));
    }
    return client.build();
  }

  /** Whether the JVM's proxy properties are set, which the JDK's client follows by itself. */
  private static boolean jvmProxyConfigured() {
    return System.getProperty("https.proxyHost") != null || System.getProperty("http.proxyHost") != null;
  }

  public static PostgrestTransportBuilder builder() {
    return new PostgrestTransportBuilder();
  }

  /** The API key, and the token last read or given. */
  @Override
  public Collection<String> credentials() {
    BearerToken bearer = token;
    return Arrays.asList(key, bearer == null ? null : bearer.value());
  }

  @Override
  public DeliveryResult deliver(Heartbeat heartbeat) {
    if (tokenFile != null) {
      try {
        token = tokenFile.read();
      } catch (IOException e) {
        return DeliveryResult.failed("cannot read the token from " + tokenFile + ": " + e);
      }
    }
    ladder.start();
    String where = restBase + (proxy == null ? "" : " through the proxy " + proxyName());
    try {
      return send(heartbeat);
    } catch (HttpTimeoutException e) {
      // The server took the call and did not answer it whole: not "cannot reach".
      return DeliveryResult.failed("no whole answer from " + where + " within " + Diagnostics.length(requestTimeout));
    } catch (BoundedExchange.AnswerTooLarge e) {
      return DeliveryResult.failed(where + " sent " + e.getMessage());
    } catch (IOException e) {
      return DeliveryResult.failed("cannot reach " + where + ": " + e + untrustedCertificateHint(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DeliveryResult.failed("interrupted");
    }
  }

  /** One heartbeat call, stepping down while the function is missing; a body too large goes in parts. */
  private DeliveryResult send(Heartbeat heartbeat) throws IOException, InterruptedException {
    while (true) {
      FunctionLadder.Step step = ladder.step();
      HttpResponse<String> response =
          step == FunctionLadder.Step.WORKERS_UPDATE ? patchWorker(heartbeat) : callFunction(heartbeat, step);
      serverAcceptsGzip |= response.headers().allValues("Accept-Encoding").stream().anyMatch(v -> v.contains("gzip"));
      boolean functionMissing =
          response.statusCode() == 404 && "PGRST202".equals(errorField(response.body(), "code"));
      if (functionMissing && step != FunctionLadder.Step.WORKERS_UPDATE && ladder.stepDown()) {
        continue;
      }
      if (response.statusCode() == 413 && step != FunctionLadder.Step.WORKERS_UPDATE
          && !heartbeat.records().isEmpty() && !TooLarge.isReport(heartbeat.records())) {
        return sendInParts(heartbeat);
      }
      return interpret(response, step);
    }
  }

  /**
   * Sends the records of a body the server, or a proxy in front of it, refused as too large (413;
   * nginx takes 1 MiB by default) in two halves, each halved again while refused; before, the
   * batch was dropped. Only the last part carries the batch's number, which marks the batch
   * applied: a part sent again after a lost answer or a crash may be stored twice, never lost. A
   * record refused alone is replaced by a short one saying so ({@link TooLarge}).
   */
  private DeliveryResult sendInParts(Heartbeat heartbeat) throws IOException, InterruptedException {
    List<LogRecord> records = heartbeat.records();
    if (records.size() == 1) {
      return send(TooLarge.withRecords(heartbeat, List.of(TooLarge.report(records.get(0))), heartbeat.batchSequence()));
    }
    int half = records.size() / 2;
    DeliveryResult first = send(TooLarge.withRecords(heartbeat, records.subList(0, half), null));
    if (first.outcome() != DeliveryResult.Outcome.STORED) {
      return first;
    }
    DeliveryResult second = send(TooLarge.withRecords(heartbeat, records.subList(half, records.size()),
        heartbeat.batchSequence()));
    if (second.outcome() != DeliveryResult.Outcome.STORED) {
      return second;
    }
    String note = second.detail() != null ? second.detail() : first.detail();   // the worker's row refused, say
    return new DeliveryResult(DeliveryResult.Outcome.STORED, first.logsInserted() + second.logsInserted(), note);
  }

  private DeliveryResult interpret(HttpResponse<String> response, FunctionLadder.Step step) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return step == FunctionLadder.Step.WORKERS_UPDATE
          ? DeliveryResult.heartbeatOnly(FUNCTION + " is missing on the server (404 PGRST202); sent a plain heartbeat")
          : IngestResponse.parse(response.body());
    }
    String detail = "HTTP " + status + describeError(response.body());
    if (status >= 300 && status < 400) {
      // Not followed (a POST redirected may arrive as a GET): the URL to give instead.
      detail += response.headers().firstValue("Location")
          .map(to -> " (moved to " + to + ": set the URL to it)").orElse("");
    }
    String code = errorField(response.body(), "code");
    detail += ConnectionFailure.readOnlyHint(code);
    if ((status == 408 || status == 429 || status >= 500) && !refusesTheBatch(status, code)) {
      return DeliveryResult.failed(detail, retryAfter(response));
    }
    if (status == 401 || status == 403) {
      // A key problem: an operator fixes it, and the records should still be there then.
      return DeliveryResult.failed(detail + (token == null ? " (check the key)" : token.refusalHint(clock.instant())));
    }
    if (step == FunctionLadder.Step.WORKERS_UPDATE) {
      // The worker's row refused (a status its enum does not list): the PATCH carried no
      // records, so none are dropped for it.
      return DeliveryResult.failed(FUNCTION + " is missing on the server, and the workers table refused the plain "
          + "heartbeat: " + detail);
    }
    if (!refusesTheBatch(status, code)) {
      // Not the batch's fault: sent again once an operator fixes the server, it is stored.
      return DeliveryResult.failed(detail);
    }
    return DeliveryResult.rejected(detail);
  }

  /**
   * Whether an answer refuses the batch for what it holds, so that sending it again would fail
   * again: PostgreSQL's data exceptions, integrity violations and program limits (SQLSTATE
   * classes 22, 23, 54, as the JDBC transport reads them; PostgREST answers the last with 500,
   * and such a batch would otherwise be sent again forever, ahead of every batch behind it),
   * PostgREST's refusals of the request itself ({@code PGRST1xx}, 4xx), a body too large (413).
   * Not so an object the function's statements cannot find, which PostgREST answers with 404 or
   * 400 ({@code 42883} "operator does not exist: uuid = text" once an orchestrator retyped
   * workers.id, {@code 42703} a column of a workers table it rebuilt), nor a 404 page of a wrong
   * URL: an operator fixes those, and the records are kept until then rather than dropped.
   */
  static boolean refusesTheBatch(int status, String code) {
    if (status == 413) {
      return true;
    }
    if (code == null) {
      return false;
    }
    return code.startsWith("22") || code.startsWith("23") || code.startsWith("54")
        || (code.startsWith("PGRST1") && status < 500);
  }

  private HttpResponse<String> callFunction(Heartbeat heartbeat, FunctionLadder.Step step)
      throws IOException, InterruptedException {
    RequestBody body = RequestBody.rpcArguments(heartbeat, step == FunctionLadder.Step.SEED_FUNCTION);
    HttpRequest.Builder request = authorized(HttpRequest.newBuilder(rpc)).header("Content-Type", "application/json");
    if (body.size() > GZIP_THRESHOLD_BYTES && (gzip == Gzip.ON || (gzip == Gzip.AUTO && serverAcceptsGzip))) {
      body = body.gzipped();
      request.header("Content-Encoding", "gzip");
    }
    return BoundedExchange.send(client, request.POST(body.publisher()).build(), requestTimeout);
  }

  private HttpResponse<String> patchWorker(Heartbeat heartbeat) throws IOException, InterruptedException {
    URI uri = URI.create(restBase + "/workers?id=eq." + URLEncoder.encode(heartbeat.workerId(), StandardCharsets.UTF_8));
    HttpRequest request = authorized(HttpRequest.newBuilder(uri))
        .header("Content-Type", "application/json")
        .header("Prefer", "return=minimal")
        .method("PATCH", RequestBody.workerPatch(heartbeat, clock.instant()).publisher())
        .build();
    return BoundedExchange.send(client, request, requestTimeout);
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    return request.timeout(requestTimeout).header("apikey", key)
        .header("Authorization", "Bearer " + (token != null ? token.value() : key));
  }

  /** A field of PostgREST's error object ({@code code}, {@code message}), or null. */
  static String errorField(String body, String field) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals(field) && value == JsonToken.VALUE_STRING) {
          return parser.getText();
        }
        parser.skipChildren();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /**
   * The error's code and message, then its details and hint, which say what the message often
   * does not: behind PostgREST's "Database client error" the host that refused, behind a full
   * disk "Check free disk space.". Each of the three is cut at {@link #LONGEST_ERROR_PART}.
   */
  static String describeError(String body) {
    String message = errorField(body, "message");
    String code = errorField(body, "code");
    if (message == null) {
      return "";
    }
    StringBuilder said = new StringBuilder(": ").append(code == null ? "" : code + " ").append(shortened(message));
    String details = errorField(body, "details");
    if (details != null && !details.isBlank()) {
      said.append(" (").append(shortened(details)).append(')');
    }
    String hint = errorField(body, "hint");
    if (hint != null && !hint.isBlank()) {
      said.append(" Hint: ").append(shortened(hint));
    }
    return said.toString();
  }

  private static String shortened(String text) {
    String line = text.strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() <= LONGEST_ERROR_PART ? line : line.substring(0, LONGEST_ERROR_PART) + "...";
  }

  /** {@code Retry-After} as seconds or an HTTP date, or null. */
  private Duration retryAfter(HttpResponse<?> response) {
    String value = response.headers().firstValue("Retry-After").orElse(null);
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant until = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), until);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (RuntimeException notADate) {
        return null;
      }
    }
  }

  /**
   * What to do when this JVM does not trust the server's certificate: curl and Python trust the
   * machine's certificate authorities, the JVM its own trust store, so a proxy that inspects TLS
   * (or a server with a private authority) failed here alone, with the JDK's words only.
   */
  static String untrustedCertificateHint(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.security.cert.CertPathValidatorException
          || cause instanceof java.security.cert.CertPathBuilderException) {
        return " (this JVM does not trust the server's certificate, as behind a proxy that inspects TLS or with a "
            + "private certificate authority: add that authority to the JVM's trust store, or name one with "
            + "-Djavax.net.ssl.trustStore=... in JAVA_TOOL_OPTIONS)";
      }
    }
    return "";
  }

  private String proxyName() {
    return proxy.getHostString() + ":" + proxy.getPort();
  }

  @Override
  public String toString() {
    return "PostgrestTransport[" + restBase + (proxy == null ? "" : ", proxy " + proxyName()) + ", key=***"
        + (tokenFile != null ? ", token from " + tokenFile : token == null ? "" : ", token=***") + "]";
  }
}
