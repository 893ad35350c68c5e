package dev.heartlog.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client of {@link FleetLoad}'s {@code -Dheartlog.bench.follow}: follows {@code /api/tail}
 * with a filter as a browser would (server-sent events, or the WebSocket), and counts the records
 * its stream brings, and how long after they were stored.
 */
final class TailFollower {
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
  private static final Pattern RECEIVED_AT =
      Pattern.compile("\"received_at\":\"([^\"]+)\"");
  private final String filter;
  private final boolean overWebSocket;
  private final String url;
  private final AtomicLong firstId = new AtomicLong(-1);
  private final AtomicLong received = new AtomicLong();
  private final Samples lag = new Samples();
  private final CompletableFuture<?> stream;

  private TailFollower(int port, String filter, boolean overWebSocket, String readerKey, String url) throws Exception {
    this.filter = filter;
    this.overWebSocket = overWebSocket;
    this.url = url;
    lag.start();
    if (overWebSocket) {
      stream = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/tail?" + filter + "&apikey=" + readerKey),
              new WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                  message.append(data);
                  if (last) {
                    record(message.toString());
                    message.setLength(0);
                  }
                  socket.request(1);
                  return null;
                }
              });
      return;
    }
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/tail?" + filter))
        .header("apikey", readerKey).header("Authorization", "Bearer " + readerKey)
        .header("Accept", "text/event-stream").build();
    // HTTP/1.1: asked to upgrade to HTTP/2 first, the server's event stream never starts.
    stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .thenAccept(response -> response.body().filter(line -> line.startsWith("data:")).forEach(this::record));
  }

  /** Starts following {@code /api/tail?filter} on the server at {@code port}, whose store is {@code url}. */
  static TailFollower start(int port, String filter, boolean overWebSocket, String readerKey, String url)
      throws Exception {
    TailFollower follower = new TailFollower(port, filter, overWebSocket, readerKey, url);
    TimeUnit.SECONDS.sleep(1);   // the subscription is in place before the measured minute
    return follower;
  }

  private void record(String line) {
    if (received.incrementAndGet() == 1) {
      Matcher id = ID.matcher(line);
      firstId.set(id.find() ? Long.parseLong(id.group(1)) : 0);
    }
    Matcher at = RECEIVED_AT.matcher(line);
    if (at.find()) {
      lag.add(Duration.between(OffsetDateTime.parse(at.group(1)).toInstant(), Instant.now()).toNanos());
    }
  }

  /** Waits for the stream to catch up with what was stored, then says what it got. */
  String finish() throws Exception {
    String level = filter.replaceFirst("(?i)^.*level=([A-Za-z]+).*$", "$1").toUpperCase(Locale.ROOT);
    String levels = switch (level) {
      case "ERROR" -> "'ERROR', 'CRITICAL'";
      case "WARNING", "WARN" -> "'WARNING', 'ERROR', 'CRITICAL'";
      case "CRITICAL" -> "'CRITICAL'";
      default -> "'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'";
    };
    long expected = Long.parseLong(BenchDatabase.scalar(url,
        "SELECT count(*) FROM system_logs WHERE id >= " + Math.max(0, firstId.get()) + " AND level IN (" + levels + ")"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.get() < expected && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
    lag.stop();
    stream.cancel(true);
    if (overWebSocket) {
      ((WebSocket) stream.join()).abort();
    }
    return String.format(Locale.ROOT,
        "follower (/api/tail?%s" + (overWebSocket ? ", WebSocket" : ", server-sent events") + "): received %,d of the %,d matching records from the first it received on; "
            + "stored to received p50 %.0f ms, p99 %.0f ms, max %.0f ms",
        filter, received.get(), expected, lag.percentile(0.5) / 1e6, lag.percentile(0.99) / 1e6, lag.percentile(1.0) / 1e6);
  }
}
