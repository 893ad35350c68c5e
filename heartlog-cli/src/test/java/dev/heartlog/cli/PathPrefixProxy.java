package dev.heartlog.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy that serves a server under a path, as nginx does with {@code location
 * /heartlog/ { proxy_pass http://127.0.0.1:7070/; }}: a request for {@code /heartlog/x} is sent
 * on as {@code /x}, and its answer passed back as it comes (an event stream too). A request
 * outside the path is answered 404 and kept in {@link #outside}; a body over {@link #maxBody},
 * 413 as nginx answers it.
 */
final class PathPrefixProxy implements AutoCloseable {

  private static final List<String> REQUEST_HEADERS =
      List.of("apikey", "authorization", "accept", "last-event-id", "content-type", "content-encoding", "prefer");
  private static final List<String> ANSWER_HEADERS = List.of("content-type", "cache-control");

  final List<String> forwarded = new CopyOnWriteArrayList<>();
  final List<String> outside = new CopyOnWriteArrayList<>();
  /** The sizes of the bodies refused as larger than {@link #maxBody}. */
  final List<Integer> refused = new CopyOnWriteArrayList<>();
  /** The largest request body passed on, as nginx's {@code client_max_body_size}. */
  volatile int maxBody = Integer.MAX_VALUE;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient client = HttpClient.newHttpClient();
  private final String prefix;
  private final String target;

  PathPrefixProxy(String prefix, String target) throws IOException {
    this.prefix = prefix;
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The address the browser opens: {@code http://127.0.0.1:<port><prefix>}. */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    if (!path.startsWith(prefix)) {
      outside.add(path);
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (body.length > maxBody) {
      refused.add(body.length);
      byte[] page = "<html><body><h1>413 Request Entity Too Large</h1></body></html>".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(413, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
      return;
    }
    forwarded.add(path);
    String onward = target + "/" + path.substring(prefix.length()) + (query == null ? "" : "?" + query);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(onward))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    for (String name : REQUEST_HEADERS) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    try {
      HttpResponse<InputStream> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      for (String name : ANSWER_HEADERS) {
        answer.headers().firstValue(name).ifPresent(value -> exchange.getResponseHeaders().add(name, value));
      }
      exchange.sendResponseHeaders(answer.statusCode(), 0);
      try (InputStream answered = answer.body(); OutputStream out = exchange.getResponseBody()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = answered.read(buffer)) != -1; ) {
          out.write(buffer, 0, n);
          out.flush();   // an event stream's events as they come
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
