package dev.heartlog.agent;

/** When the spool forces what it wrote to disk. */
public enum SpoolSync {
  /** fsync after every batch: a batch spooled is a batch kept, even if the machine loses power. */
  ALWAYS,
  /** fsync at most once per sync interval: a machine crash may lose the last interval. */
  INTERVAL,
  /** Leave it to the operating system: a process crash loses nothing, a machine crash may. */
  NEVER
}
