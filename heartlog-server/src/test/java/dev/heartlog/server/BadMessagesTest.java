package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the HTTP server cannot read at all, answered before any route: in the API's JSON
 * shape, where Jetty's page was HTML ({@code <h1>Bad Message 400</h1>}).
 */
@Timeout(60)
class BadMessagesTest {

  @TempDir Path folder;
  private HeartlogServer server;

  @BeforeEach
  void start() throws IOException {
    server = HeartlogServer.builder().store(TestDatabase.freshStore()).keysFile(folder.resolve("keys"))
        .readerKeys(ReaderRequests.READER).port(0).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anAddressOrHeadersTheServerCannotReadAreAnsweredInTheApisShape() throws Exception {
    HttpResponse<String> nul = ReaderRequests.get(server, "/api/tasks/%00");
    HttpResponse<String> tooLong = ReaderRequests.get(server, "/api/logs?grep=" + "x".repeat(20_000));
    HttpResponse<String> headers = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ReaderRequests.uri(server, "/api/logs"))
        .header("apikey", ReaderRequests.READER).header("X-Padding", "x".repeat(20_000)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(nul.statusCode()).isEqualTo(400);
    assertThat(nul.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(nul.body()).startsWith("{\"code\":\"HL400\"").contains("\"hint\":\"The request could not be read as HTTP");
    assertThat(tooLong.statusCode()).isEqualTo(414);
    assertThat(tooLong.body()).startsWith("{\"code\":\"HL414\"").contains("\"message\":\"URI Too Long\"");
    assertThat(headers.statusCode()).isEqualTo(431);
    assertThat(headers.body()).startsWith("{\"code\":\"HL431\"");
  }
}
