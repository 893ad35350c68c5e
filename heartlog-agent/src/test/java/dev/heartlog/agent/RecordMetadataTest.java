package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordMetadataTest {

  @Test
  void behavesAsAnInsertionOrderedMapAndAPutReplacesInPlace() {
    RecordMetadata flat = new RecordMetadata(1);
    Map<String, Object> linked = new LinkedHashMap<>();
    for (Map<String, Object> map : List.of(flat, linked)) {
      map.put("logger", "wgp.generator");
      map.put("thread", "render-1");
      map.put("line", 42);
      map.put("logger", "replaced");
      map.put("empty", null);
    }

    assertThat(flat).isEqualTo(linked).hasSize(4);
    assertThat(flat.keySet()).containsExactly("logger", "thread", "line", "empty");
    assertThat(flat.get("logger")).isEqualTo("replaced");
    assertThat(flat.containsKey("empty")).isTrue();
    assertThat(flat.get("missing")).isNull();
    assertThat(flat.hashCode()).isEqualTo(linked.hashCode());
    assertThatThrownBy(() -> flat.put(null, "x")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void isSentAndSizedExactlyAsTheSameEntriesInALinkedHashMap() {
    RecordMetadata flat = new RecordMetadata(2);
    Map<String, Object> linked = new LinkedHashMap<>();
    for (int i = 0; i < 70; i++) {  // past the 64 keys kept
      Object value = i % 3 == 0 ? Map.of("nested", i) : i % 3 == 1 ? "text-" + i : (Object) i;
      flat.put("key-" + i, value);
      linked.put("key-" + i, value);
    }
    Instant at = Instant.parse("2026-11-28T02:00:00Z");
    LogRecord withFlat = new LogRecord(at, 1, Level.INFO, "m", "t", flat);
    LogRecord withLinked = new LogRecord(at, 1, Level.INFO, "m", "t", linked);

    assertThat(RecordJson.logsArray(List.of(withFlat))).isEqualTo(RecordJson.logsArray(List.of(withLinked)))
        .contains("\"heartlog_keys_dropped\":6");
    assertThat(withFlat.estimatedBytes()).isEqualTo(withLinked.estimatedBytes());
  }

  @Test
  void theLoggerAndThreadOfRecordsWithNothingElseAreSharedPerThreadUntilTheThreadIsRenamed() {
    RecordMetadata first = RecordMetadata.ofLoggerAndThread("worker.a", "render-1");
    RecordMetadata again = RecordMetadata.ofLoggerAndThread("worker.a", "render-1");
    RecordMetadata other = RecordMetadata.ofLoggerAndThread("worker.b", "render-1");
    RecordMetadata renamed = RecordMetadata.ofLoggerAndThread("worker.a", "render-2");   // the same thread, renamed

    assertThat(again).isSameAs(first).containsExactly(Map.entry("logger", "worker.a"), Map.entry("thread", "render-1"));
    assertThat(other).isNotSameAs(first).containsEntry("logger", "worker.b");
    assertThat(renamed).isNotSameAs(first).containsEntry("thread", "render-2");
    assertThat(first).as("the shared one as it was").containsEntry("thread", "render-1");
  }
}
