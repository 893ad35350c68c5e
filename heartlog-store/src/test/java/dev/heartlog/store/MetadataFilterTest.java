package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Records picked by what their metadata says: the model, the frame, the queue a worker names. */
class MetadataFilterTest {

  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store.withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT func_worker_heartbeat_with_logs('gpu-1', 81559, 1000, ?::jsonb, 't-1')")) {
        s.setString(1, """
            [{"timestamp": "2026-11-27T10:00:00Z", "level": "INFO", "message": "wan2.1 frame 12 as a number",
              "metadata": {"model": "wan2.1", "frame": 12, "fps": 23.976, "preview": true}},
             {"timestamp": "2026-11-27T10:00:01Z", "level": "INFO", "message": "wan2.2 frame 12 as text",
              "metadata": {"model": "wan2.2", "frame": "12"}},
             {"timestamp": "2026-11-27T10:00:02Z", "level": "INFO", "message": "frame as a list and a null",
              "metadata": {"model": null, "frame": [12]}},
             {"timestamp": "2026-11-27T10:00:03Z", "level": "INFO", "message": "no metadata"},
             {"timestamp": "2026-11-27T10:00:04Z", "level": "ERROR", "message": "wan2.1 failed",
              "metadata": {"model": "wan2.1", "gpu": {"name": "H200"}, "note": "caf\\u00e9 \\"quoted\\""}}]""");
        s.execute();
      }
      try (PreparedStatement s = c.prepareStatement(
          "SELECT func_worker_heartbeat_with_logs('gpu-2', 81559, 1000, ?::jsonb, NULL)")) {
        s.setString(1, """
            [{"timestamp": "2026-11-27T11:00:00Z", "level": "INFO", "message": "claimed render-a", "task_id": "render-a",
              "metadata": {"queue": "renders"}},
             {"timestamp": "2026-11-27T11:00:01Z", "level": "INFO", "message": "claimed render-b", "task_id": "render-b",
              "metadata": {"queue": "renders"}},
             {"timestamp": "2026-11-27T11:00:02Z", "level": "ERROR", "message": "render-a failed", "task_id": "render-a"},
             {"timestamp": "2026-11-27T11:00:03Z", "level": "ERROR", "message": "upload-c failed", "task_id": "upload-c",
              "metadata": {"queue": "uploads"}}]""");
        return s.execute();
      }
    });
  }

  private static List<String> taskIds(String worker, boolean failedOnly, Map<String, String> metadata) {
    return store.tasks(new TaskFilter(worker, null, null, failedOnly, metadata, 50)).stream().map(RecentTask::id).toList();
  }

  private static List<String> messages(Map<String, String> metadata) {
    return store.logs(filter(metadata, 100)).stream().map(StoredRecord::message).toList();
  }

  private static LogFilter filter(Map<String, String> metadata, int limit) {
    return new LogFilter(null, null, null, null, null, null, null, metadata, limit);
  }

  @Test
  void aKeyMatchesItsTextOrItsNumberWhetherStoredAsNumberTextOrBoolean() {
    assertThat(messages(Map.of("model", "wan2.1"))).containsExactly("wan2.1 frame 12 as a number", "wan2.1 failed");
    assertThat(messages(Map.of("frame", "12"))).containsExactly("wan2.1 frame 12 as a number", "wan2.2 frame 12 as text");
    assertThat(messages(Map.of("fps", "23.976"))).containsExactly("wan2.1 frame 12 as a number");
    assertThat(messages(Map.of("preview", "true"))).containsExactly("wan2.1 frame 12 as a number");
    assertThat(messages(Map.of("note", "café \"quoted\""))).containsExactly("wan2.1 failed");
    assertThat(messages(Map.of("model", "WAN2.1"))).as("values match exactly, in their case").isEmpty();
  }

  @Test
  void aStoredNumberMatchesAnyValueThatReadsAsTheSameNumber() {
    assertThat(messages(Map.of("frame", "12.0"))).as("the number 12, not the text 12")
        .containsExactly("wan2.1 frame 12 as a number");
    assertThat(messages(Map.of("frame", "1.2e1"))).containsExactly("wan2.1 frame 12 as a number");
    assertThat(messages(Map.of("fps", "23.9760"))).containsExactly("wan2.1 frame 12 as a number");
    assertThat(messages(Map.of("frame", "12 "))).isEmpty();
    assertThat(messages(Map.of("frame", "1e99999"))).as("not read as a number: no error either").isEmpty();
  }

  @Test
  void everyKeyMustMatch() {
    Map<String, String> both = new LinkedHashMap<>();
    both.put("frame", "12");
    both.put("model", "wan2.2");
    assertThat(messages(both)).containsExactly("wan2.2 frame 12 as text");
    both.put("model", "wan2.3");
    assertThat(messages(both)).isEmpty();
  }

  @Test
  void nullsListsAndObjectsMatchNothing() {
    assertThat(messages(Map.of("frame", "[12]"))).isEmpty();
    assertThat(messages(Map.of("gpu", "{\"name\": \"H200\"}"))).isEmpty();
    assertThat(messages(Map.of("model", "null"))).isEmpty();
    assertThat(messages(Map.of("model", ""))).isEmpty();
  }

  @Test
  void theJavaMatchOfTheLiveTailAgreesWithTheStoresForEveryRecordAndFilter() {
    List<StoredRecord> all = store.logs(LogFilter.all());
    List<Map<String, String>> filters = List.of(Map.of("model", "wan2.1"), Map.of("frame", "12"), Map.of("fps", "23.976"),
        Map.of("frame", "12.0"), Map.of("frame", "1.2e1"), Map.of("fps", "23.9760"), Map.of("frame", "1e99999"),
        Map.of("preview", "true"), Map.of("frame", "[12]"), Map.of("model", "null"), Map.of("gpu", "{\"name\": \"H200\"}"),
        Map.of("note", "café \"quoted\""), Map.of("missing", "x"));
    for (Map<String, String> metadata : filters) {
      assertThat(all.stream().filter(record -> MetadataFilter.matches(metadata, record)).map(StoredRecord::message))
          .as(metadata.toString())
          .containsExactlyElementsOf(messages(metadata));
    }
  }

  @Test
  void followersAndThoseComingBackReadTheSameRecords() {
    LogFilter wan21 = filter(Map.of("model", "wan2.1"), 100);
    assertThat(store.logsAfter(0, Long.MAX_VALUE, wan21)).extracting(StoredRecord::message)
        .containsExactly("wan2.1 frame 12 as a number", "wan2.1 failed");
    int stored = store.logs(LogFilter.all()).size();
    assertThat(store.recordsForFollowers(0, Long.MAX_VALUE, List.of(), List.of(wan21), 100))
        .hasSize(stored)
        .filteredOn(followed -> followed.record() != null).extracting(followed -> followed.record().message())
        .containsExactly("wan2.1 frame 12 as a number", "wan2.1 failed");
    LogFilter frame12 = filter(Map.of("frame", "12"), 100);
    assertThat(store.recordsForFollowers(0, Long.MAX_VALUE, List.of(), List.of(wan21, frame12), 100))
        .as("followers asking for different metadata: each matches its own, the store sends what any may want")
        .filteredOn(followed -> followed.record() != null).hasSize(stored);
  }

  @Test
  void tasksAreThoseWithARecordOfTheMetadataWhicheverRecordFailedThem() {
    assertThat(taskIds(null, false, Map.of("queue", "renders"))).containsExactly("render-a", "render-b");
    assertThat(taskIds(null, true, Map.of("queue", "renders"))).as("its error names no queue").containsExactly("render-a");
    assertThat(taskIds(null, true, Map.of("queue", "uploads"))).containsExactly("upload-c");
    assertThat(taskIds("gpu-1", false, Map.of("queue", "renders"))).isEmpty();
    assertThat(taskIds(null, false, Map.of())).containsExactly("upload-c", "render-a", "render-b");
    assertThat(store.tasks(new TaskFilter(null, null, null, false, Map.of("queue", "renders"), 50)).get(0).records())
        .as("a task is summed up from all its records").isEqualTo(2);
  }

  @Test
  void keyValueTextsAreSplitAtTheFirstEqualsSign() {
    assertThat(MetadataFilter.parse(List.of("model=wan2.1", " frame =12", "", "expr=a=b", "empty=")))
        .containsExactly(Map.entry("model", "wan2.1"), Map.entry("frame", "12"), Map.entry("expr", "a=b"),
            Map.entry("empty", ""));
    assertThatThrownBy(() -> MetadataFilter.parse(List.of("model"))).hasMessageContaining("key=value");
    assertThatThrownBy(() -> MetadataFilter.parse(List.of("=wan2.1"))).hasMessageContaining("key=value");
    assertThatThrownBy(() -> MetadataFilter.parse(List.of("model=wan\0"))).hasMessageContaining("NUL");
    assertThatThrownBy(() -> MetadataFilter.parse(java.util.stream.IntStream.range(0, 9).mapToObj(i -> "k" + i + "=v").toList()))
        .hasMessageContaining("at most 8 keys");
  }

  @Test
  void theStoreIsAskedForEveryWayOfWritingTheValuesAsJson() {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put("model", "wan \"2.1\"");
    wanted.put("frame", "012");
    wanted.put("preview", "true");
    assertThat(MetadataFilter.containedObjects(wanted)).containsExactly(
        "{\"model\": \"wan \\\"2.1\\\"\", \"frame\": \"012\", \"preview\": \"true\"}",
        "{\"model\": \"wan \\\"2.1\\\"\", \"frame\": \"012\", \"preview\": true}",
        "{\"model\": \"wan \\\"2.1\\\"\", \"frame\": 12, \"preview\": \"true\"}",
        "{\"model\": \"wan \\\"2.1\\\"\", \"frame\": 12, \"preview\": true}");
    assertThat(messages(Map.of("frame", "012"))).as("012 is no JSON, but reads as 12")
        .containsExactly("wan2.1 frame 12 as a number");
  }
}
