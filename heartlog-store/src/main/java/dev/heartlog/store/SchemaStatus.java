package dev.heartlog.store;

import java.util.List;

/**
 * How a store's schema stands against this build's migrations, read without changing anything.
 *
 * @param version the newest migration applied, such as {@code "12"}; {@code null} when heartlog
 *     never migrated the database
 * @param pending the migrations this build would apply, oldest first, as {@code heartlog
 *     migrate} names them: {@code "V13 task ends"}, or for a changed repeatable one {@code
 *     "R ingest"}
 * @param newer whether a newer heartlog migrated the store: it has versions this build does not
 *     know (and then a changed repeatable migration is the newer one's, not one to apply)
 */
public record SchemaStatus(String version, List<String> pending, boolean newer) {

  public SchemaStatus {
    pending = List.copyOf(pending);
  }

  /** Whether heartlog never migrated the database: it has none of heartlog's tables. */
  public boolean missing() {
    return version == null;
  }

  /** Whether {@code heartlog migrate} of this build has nothing to do. */
  public boolean upToDate() {
    return version != null && pending.isEmpty();
  }

  /** Whether only repeatable migrations (heartlog's functions) differ, no versioned one. */
  public boolean onlyFunctionsDiffer() {
    return !pending.isEmpty() && pending.stream().allMatch(name -> name.startsWith("R "));
  }
}
