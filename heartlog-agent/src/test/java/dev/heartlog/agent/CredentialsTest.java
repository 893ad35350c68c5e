package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
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
