package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** heartlog's credentials masked in the batches the agent ships ({@link Credentials}, {@link Batch#of}). */
class CredentialsTest {

  private static LogRecord record(String message, String task, Map<String, Object> metadata) {
    return new LogRecord(Instant.parse("2026-12-03T21:00:00Z"), 7, Level.WARNING, message, task, metadata);
  }

  @Test
  void aBatchWithoutACredentialIsWrittenOnceAndKeepsItsRecords() {
    List<LogRecord> records = List.of(record("frame 1 rendered", "t-1", Map.of("frame", 1)));

    Batch batch = Batch.of("s", 1, records, records, Credentials.of(List.of("hl-Secret-pw")));

    assertThat(batch.records()).containsExactlyElementsOf(records);
    assertThat(batch.logsJson()).isEqualTo(RecordJson.logsArray(records));
  }

  @Test
  void aBatchThatHoldsOneIsMadeOfMaskedCopiesAndItsTextHoldsNone() {
    LogRecord leaky = record("url postgresql://app:hl-Secret-pw@db/app", "task-hl-Secret-pw",
        Map.of("nested", Map.of("argv", new String[] {"--key", "hl-Secret-pw"}), "count", 3L, "flag", true));
    LogRecord clean = record("frame 2 rendered", null, Map.of());

    Batch batch = Batch.of("s", 1, List.of(leaky, clean), List.of(leaky, clean),
        Credentials.of(List.of("hl-Secret-pw")));

    assertThat(batch.logsJson()).doesNotContain("hl-Secret-pw")
        .contains("\"message\":\"url postgresql://app:***@db/app\"", "\"task_id\":\"task-***\"",
            "\"argv\":[\"--key\",\"***\"]", "\"count\":3", "\"flag\":true", "\"seq\":7", "\"level\":\"WARNING\"",
            "\"timestamp\":\"2026-12-03T21:00:00");
    assertThat(batch.records().get(0).message()).isEqualTo("url postgresql://app:***@db/app");
    assertThat(batch.records().get(1).message()).isEqualTo("frame 2 rendered");
    assertThat(batch.fromBuffer()).containsExactly(leaky, clean).as("the buffer's capacity is released by the originals");
  }

  @Test
  void aCredentialThatJsonEscapesIsFoundAndMaskedToo() {
    String password = "pw\"with\\slash";
    LogRecord leaky = record("password is " + password, null, Map.of());

    Batch batch = Batch.of("s", 1, List.of(leaky), List.of(leaky), Credentials.of(List.of(password)));

    assertThat(batch.records().get(0).message()).isEqualTo("password is ***");
    assertThat(batch.logsJson()).contains("\"message\":\"password is ***\"").doesNotContain("with\\\\slash");
  }

  @Test
  void aCredentialPrintedInAUrlIsMaskedHoweverItWasEncoded() {
    Credentials credentials = Credentials.of(List.of("p@ss/wörd 1!"));

    assertThat(credentials.mask("postgresql://app:" + URLEncoder.encode("p@ss/wörd 1!", StandardCharsets.UTF_8) + "@db/app"))
        .as("Java's URLEncoder: p%40ss%2Fw%C3%B6rd+1%21").isEqualTo("postgresql://app:***@db/app");
    assertThat(credentials.mask("postgresql://app:p%40ss%2Fw%C3%B6rd%201!@db/app"))
        .as("encodeURIComponent's, which leaves ! as it is").isEqualTo("postgresql://app:***@db/app");
    assertThat(credentials.mask("DATABASE_URL=postgresql://app:p%40ss%2fw%c3%b6rd%201%21@db/app"))
        .as("lower-case hex").isEqualTo("DATABASE_URL=postgresql://app:***@db/app");
    assertThat(credentials.mask("user p@ss/wörd 1! and p@ss/wörd 2!"))
        .as("the value as it is; another one with the same letters stays").isEqualTo("user *** and p@ss/wörd 2!");
  }

  @Test
  void aCredentialPrintedInsideAJsonStringIsMasked() {
    Credentials credentials = Credentials.of(List.of("sécret\"pass/word"));

    assertThat(credentials.mask("config {\"password\": \"s\\u00e9cret\\\"pass/word\"}"))
        .as("Python's json.dumps, ensure_ascii").isEqualTo("config {\"password\": \"***\"}");
    assertThat(credentials.mask("config {\"password\":\"sécret\\\"pass\\/word\"}"))
        .as("an encoder that escapes /").isEqualTo("config {\"password\":\"***\"}");
  }

  @Test
  void theBase64OfACredentialInsideALongerValueIsMasked() {
    String token = "hf_kXq3vT9mPzL2wQ8r";
    Credentials credentials = Credentials.of(List.of(token));
    for (String user : List.of("a", "ab", "abc")) {   // the token starts at each place of a group of three bytes
      String header = "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));

      String masked = credentials.mask(header);

      assertThat(masked).as(header).matches("Authorization: Basic [A-Za-z0-9+/]{1,8}\\*\\*\\*[A-Za-z0-9+/=]{0,4}");
      assertThat(Batch.of("s", 1, List.of(record(header, null, Map.of())), List.of(), credentials).records())
          .extracting(LogRecord::message).containsExactly(masked);
    }
    byte[] bytes = ("{\"sub\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
    String jwtPart = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    assertThat(credentials.mask("bearer " + jwtPart)).as("the URL's alphabet, " + jwtPart).contains("***")
        .doesNotContain(jwtPart.substring(12, 24));
  }

  @Test
  void aBatchThatHoldsACredentialOnlyEncodedIsMaskedAndOneThatHoldsItsLettersAloneIsKept() {
    Credentials credentials = Credentials.of(List.of("render@Fleet#2026"));
    LogRecord encoded = record("GET /jobs?password=render%40Fleet%232026", null, Map.of("url", "db?p=render%40Fleet%232026"));
    LogRecord lettersAlone = record("render Fleet 2026", null, Map.of());

    Batch masked = Batch.of("s", 1, List.of(encoded), List.of(encoded), credentials);
    Batch kept = Batch.of("s", 2, List.of(lettersAlone), List.of(lettersAlone), credentials);

    assertThat(masked.logsJson()).doesNotContain("Fleet").contains("\"message\":\"GET /jobs?password=***\"",
        "\"url\":\"db?p=***\"");
    assertThat(kept.records()).containsExactly(lettersAlone);
    assertThat(kept.logsJson()).isEqualTo(RecordJson.logsArray(List.of(lettersAlone)));
  }

  @Test
  void shortValuesAndNullsAreNotMaskedAndALongerCredentialIsMaskedWhole() {
    Credentials credentials = Credentials.of(Arrays.asList(null, "abc", "secret", "secret-and-more"));

    assertThat(credentials.mask("abc secret secret-and-more")).isEqualTo("abc *** ***");
    assertThat(credentials.toString()).doesNotContain("secret").isEqualTo("Credentials[2]");
    assertThat(Credentials.of(List.of()).appearIn("[{\"message\":\"anything\"}]")).isFalse();
  }

  @Test
  void theHttpTransportNamesItsKeyAndToken() {
    try (PostgrestTransport transport = PostgrestTransport.builder().baseUrl("http://127.0.0.1:9")
        .key("anon-key-123456").token("worker-token-abcdef").build()) {
      assertThat(transport.credentials()).containsExactly("anon-key-123456", "worker-token-abcdef");
    }
    try (PostgrestTransport keyOnly = PostgrestTransport.builder().baseUrl("http://127.0.0.1:9").key("anon-key-123456")
        .build()) {
      assertThat(Credentials.of(keyOnly.credentials()).mask("apikey anon-key-123456")).isEqualTo("apikey ***");
    }
  }
}
