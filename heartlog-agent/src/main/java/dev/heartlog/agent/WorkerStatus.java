package dev.heartlog.agent;

/** The worker status a heartbeat reports, as the store's {@code status_param} spells it. */
public enum WorkerStatus {
  /** The worker runs and heartbeats. */
  ACTIVE("active"),
  /** The worker shut down on purpose; sent with the final heartbeat. */
  STOPPED("stopped"),
  /** The worker (or the process heartlog wraps) died; sent with the final heartbeat. */
  CRASHED("crashed");

  private final String wireName;

  WorkerStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The value sent as {@code status_param}. */
  public String wireName() {
    return wireName;
  }
}
