package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record that counts a flood, as {@link RepeatCount} writes and reads it; the store's SQL
 * reads it by the same rule (the store's {@code RepeatCountTest}).
 */
class RepeatCountTest {

  @Test
  void aCountIsReadBackAsTheRecordsItStandsFor() {
    String message = RepeatCount.message(4188, "connection refused, retrying");

    assertThat(message).isEqualTo("repeated 4188 more times: connection refused, retrying");
    assertThat(RepeatCount.occurrences(message, "4188")).isEqualTo(4188);
    assertThat(RepeatCount.occurrences(RepeatCount.message(1, "timeout"), "1")).isEqualTo(1);
    assertThat(RepeatCount.message(1, "timeout")).isEqualTo("repeated 1 more time: timeout");
    // As the SQL reads it, "more times?: ", whatever the number.
    assertThat(RepeatCount.occurrences("repeated 2 more time: timeout", "2")).isEqualTo(2);
  }

  @Test
  void aCountKeepsTheRecordsMetadataButItsException() {
    Map<String, Object> counted = RepeatCount.metadata(
        Map.of("logger", "worker.Uploader", "exception", "java.net.ConnectException: refused"), 4188);

    assertThat(counted).containsOnly(Map.entry("logger", "worker.Uploader"), Map.entry(RepeatCount.KEY, 4188L));
    assertThat(RepeatCount.metadata(null, 3)).containsOnly(Map.entry(RepeatCount.KEY, 3L));
  }

  @Test
  void aMessageThatOnlyLooksLikeACountStandsForOneRecord() {
    String message = "repeated 3 more times: the upload, then gave up";

    assertThat(RepeatCount.occurrences(message, null)).isEqualTo(1);   // no count in its metadata
    assertThat(RepeatCount.occurrences(message, "7")).isEqualTo(1);    // another number there
    assertThat(RepeatCount.occurrences(message, "3.0")).isEqualTo(1);
    assertThat(RepeatCount.occurrences("repeated 3 more times, then gave up", "3")).isEqualTo(1);
    assertThat(RepeatCount.occurrences("repeated 3 more timesheets: done", "3")).isEqualTo(1);
    assertThat(RepeatCount.occurrences("the upload repeated 3 more times: done", "3")).isEqualTo(1);
  }

  @Test
  void aCountBeyondEighteenDigitsIsNoCount() {
    String eighteen = "999999999999999999";
    String twenty = "12345678901234567890";

    assertThat(RepeatCount.occurrences("repeated " + eighteen + " more times: x", eighteen)).isEqualTo(999_999_999_999_999_999L);
    assertThat(RepeatCount.occurrences("repeated " + twenty + " more times: x", twenty)).isEqualTo(1);
  }
}
