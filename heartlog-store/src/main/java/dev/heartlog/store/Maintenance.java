package dev.heartlog.store;

/**
 * What one run of maintenance did.
 *
 * @param summary the maintenance function's answer, a JSON object: the retention, and how many
 *     partitions it created and dropped
 * @param partitionsInUse the partitions it should have created or dropped but could not have the
 *     locks for in time, a long read of {@code system_logs} holding them; the next run does them
 */
public record Maintenance(String summary, int partitionsInUse) {

  /** The JSON summary. */
  @Override
  public String toString() {
    return summary;
  }
}
