package dev.heartlog.store;

import java.util.List;
import java.util.Optional;

/**
 * Everything the store knows about one task.
 *
 * @param taskId the task
 * @param records its records in order (worker time, then sequence)
 * @param workers the workers that ran it, each with its share of the records
 * @param heartbeats the heartbeats sent while it was current, with VRAM
 */
public record TaskTimeline(
    String taskId, List<StoredRecord> records, List<TaskSummary> workers, List<HeartbeatPoint> heartbeats) {

  /** The last ERROR or CRITICAL record: why the task failed, if it did. */
  public Optional<StoredRecord> failure() {
    for (int i = records.size() - 1; i >= 0; i--) {
      StoredRecord record = records.get(i);
      if (record.isError()) {
        return Optional.of(record);
      }
    }
    return Optional.empty();
  }

  public boolean isEmpty() {
    return records.isEmpty() && heartbeats.isEmpty();
  }
}
