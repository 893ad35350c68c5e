package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

  private static final byte[] BODY = "{\"worker_id_param\": \"gpu-1\", \"logs_param\": []}".repeat(500)
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void aBodyIsReadWhateverItsLengthAndEncodingSay() throws IOException {
    assertThat(RequestBody.read(in(BODY), BODY.length, null, 1 << 20)).isEqualTo(BODY);
    assertThat(RequestBody.read(in(BODY), -1, "identity", 1 << 20)).as("length unknown (chunked)").isEqualTo(BODY);
    assertThat(RequestBody.read(in(gzip(BODY)), gzip(BODY).length, "gzip", 1 << 20)).isEqualTo(BODY);
    assertThat(RequestBody.read(in(gzip(BODY)), -1, "GZIP", BODY.length)).as("inflated to the limit exactly").isEqualTo(BODY);
    assertThat(RequestBody.read(in(new byte[0]), 0, null, 10)).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() {
    assertThatThrownBy(() -> RequestBody.read(in(BODY), BODY.length, null, BODY.length - 1))
        .as("declared too long: refused before reading").satisfies(e -> assertStatus(e, 413));
    assertThatThrownBy(() -> RequestBody.read(in(BODY), -1, null, BODY.length - 1)).satisfies(e -> assertStatus(e, 413));
    assertThatThrownBy(() -> RequestBody.read(in(gzip(BODY)), gzip(BODY).length, "gzip", BODY.length - 1))
        .as("small compressed, too long inflated").satisfies(e -> assertStatus(e, 413));
  }

  @Test
  void theLimitFitsOneArray() {
    assertThat(HeartlogServer.builder().maxBodyBytes(1L << 30)).isNotNull();
    assertThatThrownBy(() -> HeartlogServer.builder().maxBodyBytes((1L << 30) + 1)).hasMessageContaining("at most 1g");
    assertThatThrownBy(() -> HeartlogServer.builder().maxBodyBytes(1023)).hasMessageContaining("at least 1024");
  }

  @Test
  void aBodyShorterThanItsContentLengthOrInAnotherEncodingIsRefused() {
    assertThatThrownBy(() -> RequestBody.read(in(BODY), BODY.length + 1, null, 1 << 20))
        .hasMessageContaining("ended after " + BODY.length + " of the " + (BODY.length + 1) + " bytes")
        .satisfies(e -> assertStatus(e, 400));
    assertThatThrownBy(() -> RequestBody.read(in(BODY), BODY.length, "br", 1 << 20)).satisfies(e -> assertStatus(e, 415));
  }

  private static void assertStatus(Throwable error, int status) {
    assertThat(error).isInstanceOf(PostgrestError.class);
    assertThat(((PostgrestError) error).status).isEqualTo(status);
  }

  private static ByteArrayInputStream in(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
