package dev.heartlog.store;

import dev.heartlog.agent.ConnectionFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The heartlog store: migrations, maintenance and the queries the command line and the server
 * share. Every query is a {@code .sql} resource with bound parameters.
 */
public final class Store {

  /** Where the migrations live on the classpath. */
  public static final String MIGRATIONS = "classpath:db/heartlog";
  /** How long logs are kept: the seed's 48 hours. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(48);
  /**
   * The shortest retention maintenance accepts: a shorter one is a mistake (a bare {@code 48} is
   * 48 seconds) that would delete every earlier day and every heartbeat.
   */
  public static final Duration MIN_RETENTION = Duration.ofHours(1);
  /** Days of partitions created ahead of time. */
  public static final int DEFAULT_DAYS_AHEAD = 3;
  /** Heartbeat silence after which an "active" worker is shown as stale (three 20 s beats). */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(60);
  /** SQLSTATE of a password the server refused. */
  private static final String INVALID_PASSWORD = "28P01";

  private final DataSource dataSource;
  private final String displayUrl;
  private final Queries queries;
  private final RecordReads reads;
  private final PageReads pages;
  private final ErrorReads errors;
  private final Migrations migrations;

  private Store(DataSource dataSource, String displayUrl) {
    this.dataSource = dataSource;
    this.displayUrl = displayUrl;
    this.queries = new Queries(dataSource, displayUrl);
    this.reads = new RecordReads(queries);
    this.pages = new PageReads(queries);
    this.errors = new ErrorReads(queries);
    this.migrations = new Migrations(dataSource, displayUrl);
  }

  /**
   * Opens a store and checks that the database answers.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://} URL, with user and password in it or given apart
   * @param user the user, or {@code null} to take it from the URL
   * @param password the password, or {@code null}
   * @throws StoreException when the URL is malformed or the database cannot be reached
   */
  public static Store open(String jdbcUrl, String user, String password) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      // Only the scheme is shown: the rest may hold a password (user:password@host).
      throw new StoreException("the database URL must start with jdbc:postgresql:// (got "
          + (jdbcUrl == null ? "none" : "one starting with '" + jdbcUrl.replaceFirst("(?s)(^[^/]*//?).*", "$1") + "'") + ")", null);
    }
    Store store = new Store(DirectDataSource.of(jdbcUrl, user, password), redact(jdbcUrl));
    store.checkReachable();
    return store;
  }

  /**
   * A store over a data source the caller made (a connection pool, for a server), checked to
   * answer. Each statement should be planned with its actual values, so that the queries'
   * optional filters cost nothing: on a direct connection the pool runs {@code SET
   * plan_cache_mode = force_custom_plan} on each new connection, for the statements the driver
   * prepares by name; behind a pooler in transaction mode it sends only unnamed statements
   * (pgjdbc's {@code prepareThreshold=0}), which are planned so anyway, and named ones would break.
   *
   * @throws StoreException when the database cannot be reached
   */
  public static Store open(DataSource dataSource, String jdbcUrl) {
    Store store = new Store(dataSource, redact(jdbcUrl));
    store.checkReachable();
    return store;
  }

  /**
   * Calls the ingest function.
   *
   * @return the function's answer, a JSON object
   * @throws StoreException when the call fails; its {@link StoreException#sqlState()} says why
   */
  public String ingest(IngestCall call) {
    Map<String, Object> values = new HashMap<>();
    values.put("worker_id", call.workerId());
    values.put("vram_total_mb", call.vramTotalMb());
    values.put("vram_used_mb", call.vramUsedMb());
    values.put("logs", call.logsJson());
    values.put("current_task_id", call.currentTaskId());
    values.put("status", call.status());
    values.put("session_id", call.sessionId());
    values.put("batch_seq", call.batchSequence());
    values.put("metadata", call.metadataJson());
    return queryOne("ingest", values, rs -> rs.getString("result"));
  }

  /**
   * The seed's fallback heartbeat: updates the worker's row.
   *
   * @param fields {@code last_heartbeat}, {@code status}, {@code vram_total_mb}, {@code
   *     vram_used_mb} (null leaves a field alone) and {@code current_task_id} when {@code setTask}
   * @param columns the columns to answer, in this order (PostgREST's {@code select=}); {@code
   *     null} for all the seed's heartbeat columns: id, status, last_heartbeat, vram_total_mb,
   *     vram_used_mb, current_task_id (never an orchestrator's other columns)
   * @return the worker's row after the update as a JSON object, as PostgREST represents it; empty
   *     when no worker has this id
   */
  public Optional<String> updateWorker(
      String workerId, Map<String, Object> fields, boolean setTask, List<String> columns) {
    Map<String, Object> values = new HashMap<>();
    values.put("worker_id", workerId);
    values.put("last_heartbeat", fields.get("last_heartbeat"));
    values.put("status", fields.get("status"));
    values.put("vram_total_mb", fields.get("vram_total_mb"));
    values.put("vram_used_mb", fields.get("vram_used_mb"));
    values.put("current_task_id", fields.get("current_task_id"));
    values.put("set_task", Boolean.toString(setTask));
    values.put("columns", columns == null ? null : columns.toArray(String[]::new));
    return query("update-worker", values, rs -> rs.getString("representation")).stream().findFirst();
  }

  /** The URL without any password, for messages. */
  public String displayUrl() {
    return displayUrl;
  }

  /**
   * Applies the migrations that are not applied yet, then creates the coming days' partitions.
   *
   * @return how many migrations were applied
   */
  public int migrate() {
    int applied = migrations.migrate();
    roles().grantTheirRights();
    return applied;
  }

  /**
   * How the store's schema stands against this build's migrations, without changing anything: a
   * server started before {@code heartlog migrate} (or after an upgrade that brought new
   * migrations) says so at once instead of in its answers.
   *
   * @throws StoreException when the schema history cannot be read
   */
  public SchemaStatus schemaStatus() {
    return migrations.status();
  }

  /** Who may write and read this store: the roles, their logins, revoked tokens. */
  public Roles roles() {
    return new Roles(this);
  }

  /**
   * Creates the coming days' partitions and drops those past the retention.
   *
   * @param retention how long records are kept; {@code null} keeps the store's own: the
   *     database's {@code heartlog.retention}, else {@link #DEFAULT_RETENTION}
   * @return how many partitions were created and dropped, and the retention, as a JSON object, and
   *     how many were left to the next run because a long read held their locks
   * @throws IllegalArgumentException for a retention under {@link #MIN_RETENTION}
   */
  public Maintenance maintain(Duration retention, int daysAhead) {
    if (retention != null && retention.compareTo(MIN_RETENTION) < 0) {
      throw new IllegalArgumentException("a retention under an hour deletes records as they arrive (got " + retention + ")");
    }
    Map<String, Object> values = new HashMap<>();
    values.put("retention_s", retention == null ? null : retention.toSeconds());
    values.put("days_ahead", daysAhead);
    return queryOne("maintain", values, rs -> new Maintenance(rs.getString("result"), rs.getInt("partitions_in_use")));
  }

  /**
   * Records matching the filter: the newest {@code limit}, returned oldest first. Without a
   * worker, a task or a level of WARNING or above, which have indexes that read newest first,
   * they are looked for in windows of time back from the newest records before the whole range is
   * read (BENCHMARKS.md §3, "The fleet's newest records").
   */
  public List<StoredRecord> logs(LogFilter filter) {
    return reads.logs(filter);
  }

  /**
   * The page after a record's: those matching the filter that come after record {@code id} in
   * the listing's order (older, and of its time those after it, which {@code until} alone would
   * skip), the newest {@code limit}, returned oldest first. Empty when that record is gone.
   */
  public List<StoredRecord> logsBefore(LogFilter filter, long id) {
    return reads.logsBefore(filter, id);
  }

  /**
   * The records around time {@code at}, oldest first: the newest {@code filter.limit()} matching
   * records made before it and the oldest as many made at or after it, as {@code grep -C} shows
   * the lines around a match (what a worker did just before and after a crash, across its tasks).
   *
   * @throws IllegalArgumentException where the filter has a range: {@code at} is its point
   */
  public List<StoredRecord> logsAround(LogFilter filter, Instant at) {
    refuseRange(filter);
    return reads.logsAround(filter, at);
  }

  /**
   * The records around record {@code id}, oldest first: the newest {@code filter.limit()} matching
   * records before it in the listing's order, the record itself (matching the filter or not), then
   * the oldest as many after it, those of its very time included. Empty when that record is gone.
   *
   * @throws IllegalArgumentException where the filter has a range: the record is its point
   */
  public List<StoredRecord> logsAround(LogFilter filter, long id) {
    refuseRange(filter);
    return reads.logsAround(filter, id);
  }

  private static void refuseRange(LogFilter filter) {
    if (filter.since() != null || filter.until() != null) {
      throw new IllegalArgumentException("the records around a point take no range: the point is theirs");
    }
  }

  /**
   * What a follower that reconnects missed: the records stored after {@code afterId} up to {@code
   * untilId} that match the filter (its times aside), the newest {@code limit} of them, in storing
   * order.
   */
  public List<StoredRecord> logsAfter(long afterId, long untilId, LogFilter filter) {
    return reads.logsAfter(afterId, untilId, filter);
  }

  /**
   * One read for those following the store ({@link RecordFollower}): the ids stored after {@code
   * afterId} up to {@code untilId} and the ids {@code alsoIds} (ids at or below it not seen yet), at
   * most {@code limit}, in id order, each with its record where one of {@code wanted} may want it,
   * and without it elsewhere. For several filters the caller matches each one itself.
   */
  public List<FollowedId> recordsForFollowers(
      long afterId, long untilId, Collection<Long> alsoIds, Collection<LogFilter> wanted, int limit) {
    return reads.recordsForFollowers(afterId, untilId, alsoIds, wanted, limit);
  }

  /**
   * Summarizes the id index's ranges filled since last; -1 when a partition's lock was held.
   *
   * @throws StoreException with SQLSTATE 42501 where this user does not own the tables
   */
  int summarizeNewIds() {
    return reads.summarizeNewIds();
  }

  /** An id a follower read, with its record where the follower wants it; else {@code record} is null. */
  public record FollowedId(long id, StoredRecord record) {}

  /**
   * The newest record id; 0 for a store that never stored one. Where no record is stored near the
   * last id given out (all dropped by retention, say), that id: following starts after it.
   */
  public long lastLogId() {
    return reads.lastLogId();
  }

  /**
   * The last id the records' id sequence gave out, at or above the newest stored record's; 0 when
   * the sequence is not readable to this user.
   */
  long issuedLogId() {
    return reads.issuedLogId();
  }

  /**
   * A task's timeline: every record up to 100,000, past that the newest, with the older ones
   * counted ({@link TaskTimeline#leftOut}). Empty lists when the store has never heard of it.
   */
  public TaskTimeline task(String taskId) {
    return pages.task(taskId);
  }

  /**
   * A task's timeline with only its first {@code first} and last {@code last} records, those
   * between them counted; every record where the task has no more than that.
   */
  public TaskTimeline task(String taskId, int first, int last) {
    return pages.task(taskId, first, last);
  }

  /**
   * The next page of a task's timeline: its records that come after record {@code afterId}, the
   * first {@code limit}, in order; empty when that record is gone (dropped by retention).
   */
  public List<StoredRecord> taskRecordsAfter(String taskId, long afterId, int limit) {
    return pages.taskRecordsAfter(taskId, afterId, limit);
  }

  /**
   * The ids of the tasks with records that start with {@code prefix}, in order, the first {@code
   * limit}: what an id given in part may be. Read from the tasks' index, a few entries per id.
   */
  public List<String> taskIdsStartingWith(String prefix, int limit) {
    return pages.taskIdsStartingWith(prefix, limit);
  }

  /** Each worker's share of a task's records, counted by the store. */
  List<TaskSummary> taskWorkers(String taskId) {
    return pages.taskWorkers(taskId);
  }

  /**
   * One worker with its recent tasks and latest records, or empty for an id the store has no row,
   * record or heartbeat of. A worker whose row the orchestrator removed has health "unknown".
   */
  public Optional<WorkerDetail> worker(String workerId, int recordLimit, int taskLimit) {
    return pages.worker(workerId, recordLimit, taskLimit);
  }

  /** One worker as {@link #workers} shows it, or empty for an id the store knows nothing of. */
  public Optional<WorkerHealth> workerHealth(String workerId) {
    return pages.health(workerId);
  }

  /**
   * The tasks with records in the filter's range, the most recently active first (with {@link
   * TaskFilter#failedOnly()}, the latest failure first), each summed up from all of its records.
   */
  public List<RecentTask> tasks(TaskFilter filter) {
    return reads.tasks(filter);
  }

  /**
   * The errors (ERROR and CRITICAL records) made at or after {@code since} and before {@code
   * until} ({@code null}: now), of {@code workerId} where one is given, grouped into kinds by what
   * they say, the {@code limit} most frequent first. An error with a stack trace says it by the
   * line that names its exception ({@code heartlog_exception_name}), one without by its message's
   * first line; runs of digits (and of hex digits holding one) are taken as alike, so that one
   * fault on many frames, tasks or allocation sizes is one kind.
   */
  public ErrorKinds errorKinds(String workerId, Instant since, Instant until, int limit) {
    return errors.kinds(workerId, since, until, limit);
  }

  /**
   * The listed kinds of {@code errors} in the range just before theirs and as long ({@link
   * ErrorKinds#length}), of {@code workerId} where one is given: how many errors of each were made
   * then, grouped as the list groups them. A kind new in the list's range has none then.
   *
   * @param now the end of a list's range that has none
   */
  public ErrorKinds.Before errorsBefore(ErrorKinds errors, String workerId, Instant now) {
    return this.errors.before(errors, workerId, now);
  }

  /**
   * One kind of error ({@code kindId}, as {@link #errorKinds} gives it, in either case) made in the
   * range, of {@code workerId} where one is given, and where it was made: the {@code limit}
   * workers and tasks of the most errors of the kind, and its errors over the range, in at most
   * {@value ErrorKindDetail#MOST_SPANS} spans. Empty where the range holds none of it.
   *
   * @throws IllegalArgumentException where {@code kindId} is not 8 hex digits
   */
  public Optional<ErrorKindDetail> errorKind(String kindId, String workerId, Instant since, Instant until, int limit) {
    return errors.kind(kindId, workerId, since, until, limit);
  }

  /**
   * The errors of one kind ({@code kindId}, as {@link #errorKinds} gives it, in either case) made in
   * the range, of {@code workerId} and {@code taskId} where given: the newest {@code limit},
   * returned oldest first, as {@link #logs} returns records; with {@code beforeId}, those that
   * come after that record in the listing's order (older, or of its time and a lower id): the next
   * page. They are the errors the kind counts, a flood's count record among them. Empty where the
   * range holds none, or record {@code beforeId} is gone.
   *
   * @throws IllegalArgumentException where {@code kindId} is not 8 hex digits
   */
  public List<StoredRecord> errorsOfKind(String kindId, String workerId, String taskId, Instant since,
      Instant until, Long beforeId, int limit) {
    return errors.ofKind(kindId, workerId, taskId, since, until, beforeId, limit);
  }

  /**
   * The id of the kind of {@code error} ({@link #errorKinds}), for a failure to link to where else
   * its kind was made; empty where the record is no ERROR or CRITICAL record, or is gone.
   */
  public Optional<String> errorKindId(StoredRecord error) {
    return errors.kindId(error);
  }

  /**
   * The values of a range's query (range-errors.sql, record-volume.sql): its start, its end, the
   * worker where one is given, and the limit.
   */
  static Map<String, Object> rangeValues(String workerId, Instant since, Instant until, int limit) {
    if (since == null) {
      throw new IllegalArgumentException("the range needs its start");
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
    LogFilter.checkRange(since, until);
    LogFilter.refuseNul("worker", workerId);
    Map<String, Object> values = new HashMap<>();
    values.put("worker", workerId);
    values.put("since", since);
    values.put("until", until);
    values.put("limit", limit);
    return values;
  }

  /**
   * How much the records made in the range take, of {@code workerId} where one is given, grouped
   * {@code by} worker, component, level or task: the {@code limit} parts of the most records, the
   * counts in all, and what all of the store's records, and its heartbeats, take with their indexes.
   */
  public RecordVolume volume(RecordVolume.By by, String workerId, Instant since, Instant until, int limit) {
    Map<String, Object> values = rangeValues(workerId, since, until, limit);
    values.put("by", by.label());
    return queries.onOneConnection(q -> {
      List<Rows.VolumeRow> rows = q.query("record-volume", values, Rows::volumeRow);
      long[] size = q.queryOne("records-size", Map.of(),
          rs -> new long[] {rs.getLong("bytes"), rs.getLong("partitions"), rs.getLong("heartbeat_bytes")});
      Rows.VolumeRow totals = rows.isEmpty() ? new Rows.VolumeRow(null, 0, 0, 0) : rows.get(0);
      return new RecordVolume(since, until, by, rows.stream().map(Rows.VolumeRow::part).toList(), totals.partCount(),
          totals.recordCount(), totals.byteCount(), size[0], size[1], size[2]);
    });
  }

  /**
   * The records of the range just before {@code volume}'s and as long (to {@code now} where it has
   * no end), of {@code workerId} where one is given, grouped as {@code volume} is: what each part
   * had then ({@code heartlog volume --compare}). Every part of that range is read, so that each
   * listed part's count is whole; the range before costs the list's own read again.
   */
  public RecordVolume.Before volumeBefore(RecordVolume volume, String workerId, Instant now) {
    Instant until = volume.since();
    Instant since = until.minus(volume.length(now));
    Map<String, Object> values = rangeValues(workerId, since, until, Integer.MAX_VALUE);
    values.put("by", volume.by().label());
    List<Rows.VolumeRow> rows = queries.query("record-volume", values, Rows::volumeRow);
    Map<String, Long> partRecords = new HashMap<>();
    rows.forEach(row -> partRecords.put(row.part().name(), row.part().records()));
    Rows.VolumeRow totals = rows.isEmpty() ? new Rows.VolumeRow(null, 0, 0, 0) : rows.get(0);
    return new RecordVolume.Before(since, until, totals.recordCount(), totals.byteCount(), partRecords);
  }

  /**
   * A worker's heartbeats since a time, oldest first: VRAM over time and the task of each. Past
   * {@code limit}, the one of the most VRAM used in each of {@code limit} spans of them.
   */
  public List<HeartbeatPoint> heartbeats(String workerId, Instant since, int limit) {
    return query("heartbeats", TaskHeartbeats.heartbeatsOf(null, workerId, since, limit), Rows::heartbeatPoint);
  }

  /** Every worker with its health; "active" workers silent for {@code staleAfter} are "stale". */
  public List<WorkerHealth> workers(Duration staleAfter) {
    return query("workers", Map.of("stale_after_s", staleAfter.toSeconds()), Rows::workerHealth);
  }

  /**
   * The workers whose clock was {@code atLeast} or more off the store's at their last heartbeat,
   * the furthest first: worker id to its clock minus the store's, in milliseconds.
   */
  public Map<String, Long> skewedClocks(Duration atLeast) {
    Map<String, Long> skews = new LinkedHashMap<>();
    for (Map.Entry<String, Long> skew : query("skewed-clocks", Map.of("min_ms", atLeast.toMillis()),
        rs -> Map.entry(rs.getString("id"), rs.getLong("clock_skew_ms")))) {
      skews.put(skew.getKey(), skew.getValue());
    }
    return skews;
  }

  /** Records stored from the given agent sessions: how a run checks what reached the store. */
  public long recordsOfSessions(String[] sessionIds) {
    return queryOne("session-records", Map.of("sessions", sessionIds), rs -> rs.getLong("records"));
  }

  /**
   * The port the server says it listens on ({@code inet_server_port()}): where it differs from
   * the one connected to, a pooler or a proxy sits in between. Null over a Unix socket.
   */
  public Integer serverPort() {
    return withConnection(connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT inet_server_port()")) {
        rs.next();
        int port = rs.getInt(1);
        return rs.wasNull() ? null : port;
      }
    });
  }

  /**
   * Whether the database is a standby ({@code pg_is_in_recovery()}): a read replica, where
   * queries work and heartbeats, migrations and maintenance fail as read-only.
   */
  public boolean isStandby() {
    return withConnection(connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        return rs.getBoolean(1);
      }
    });
  }

  /**
   * pg_cron's hourly maintenance of this database and the retention it keeps, where {@code
   * heartlog migrate} scheduled it and this login may see it (see {@link ScheduledMaintenance}).
   */
  public Optional<ScheduledMaintenance> scheduledMaintenance() {
    return withConnection(ScheduledMaintenance::read);
  }

  /** Runs one statement given as text; for tests and tools that inspect the store. */
  public <T> T withConnection(SqlFunction<Connection, T> work) {
    return queries.withConnection(work);
  }

  /** A function that may throw {@link SQLException}. */
  @FunctionalInterface
  public interface SqlFunction<I, O> {
    O apply(I input) throws SQLException;
  }

  private <T> List<T> query(String name, Map<String, ?> values, SqlFunction<ResultSet, T> row) {
    return queries.query(name, values, row);
  }

  <T> T queryOne(String name, Map<String, ?> values, SqlFunction<ResultSet, T> row) {
    return queries.queryOne(name, values, row);
  }

  /**
   * Checks that the database answers a statement now.
   *
   * @throws StoreException when it does not, saying why and what to check
   */
  public void checkReachable() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1");
    } catch (SQLException e) {
      throw new StoreException("cannot reach the database at " + displayUrl + ": " + e.getMessage()
          + ConnectionFailure.detail(displayUrl, e) + " (" + hint(e) + ")", e, e.getSQLState());
    }
  }

  /**
   * As {@link #checkReachable()}, and that heartlog's schema is there, its records' table and
   * ingest function: a server on a database not migrated yet answers, but every heartbeat fails.
   *
   * @throws StoreException saying which, when not
   */
  public void checkReady() {
    checkReachable();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet migrated = statement.executeQuery("SELECT to_regclass('system_logs') IS NOT NULL AND EXISTS "
            + "(SELECT 1 FROM pg_proc WHERE proname = 'func_worker_heartbeat_with_logs' AND pg_function_is_visible(oid))")) {
      if (migrated.next() && !migrated.getBoolean(1)) {
        throw new StoreException("the database at " + displayUrl + " has no heartlog schema yet (no system_logs, or no "
            + "func_worker_heartbeat_with_logs): run heartlog migrate", null, null);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the schema of the database at " + displayUrl + ": " + e.getMessage(), e,
          e.getSQLState());
    }
  }

  /** What to check, for a connection refused: a password missing or wrong, else the address. */
  private static String hint(SQLException e) {
    boolean noPassword = e.getMessage() != null && e.getMessage().contains("no password was provided");
    if (noPassword || INVALID_PASSWORD.equals(e.getSQLState())) {
      return "give the password in the URL, --db-password, HEARTLOG_DB_PASSWORD or PGPASSWORD, or a line in ~/.pgpass";
    }
    return "check --db-url or HEARTLOG_DB_URL, and that PostgreSQL is running";
  }

  /** The URL with any password value replaced, for messages and logs. */
  static String redact(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "nothing";
    }
    return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
