package dev.heartlog.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The query API asked as a browser or script with the tests' reader key asks it. */
final class ReaderRequests {

  static final String READER = "hlr_test_reader_key_0123456789";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ReaderRequests() {}

  static URI uri(HeartlogServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** A GET of {@code path} with the reader key, its answer read whole. */
  static HttpResponse<String> get(HeartlogServer server, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(server, path)).header("apikey", READER).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** As {@link #get}, asking for an event stream (the live tail's). */
  static HttpResponse<String> getEventStream(HeartlogServer server, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(server, path)).header("apikey", READER)
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
