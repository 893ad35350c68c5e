package dev.heartlog.server;

import dev.heartlog.store.ErrorKindDetail;
import dev.heartlog.store.ErrorKinds;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.MetadataFilter;
import dev.heartlog.store.NearNames;
import dev.heartlog.store.RecordVolume;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskFilter;
import dev.heartlog.store.TaskTimeline;
import dev.heartlog.store.TimeSpec;
import dev.heartlog.store.WorkerDetail;
import dev.heartlog.store.WorkerHealth;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JSON query API over the store's queries, for reader keys. The shapes are those of {@code
 * heartlog ... --json}:
 *
 * <ul>
 *   <li>{@code GET /api/logs?worker=&task=&level=&since=&until=&grep=&component=&meta=&limit=&before=}: an
 *       array of records, oldest first, the newest {@code limit} (default 100) that match; with
 *       {@code before=<id>}, those that come after that record in the listing (the next page); with
 *       {@code kind=}, the errors of one kind; with {@code around=<id or time>&context=}, the
 *       {@code context} (default 20) records on each side of that record or time
 *   <li>{@code GET /api/tasks?since=&until=&worker=&failed=&meta=&limit=}: the tasks that logged in the
 *       range (the hour before {@code until}, else the last hour, unless {@code since} says
 *       otherwise; a {@code since} after {@code until} is refused), the most recently active first;
 *       with {@code failed=true} only those with an error in it
 *   <li>{@code GET /api/errors?since=&until=&worker=&limit=}: the kinds of errors made in the range
 *       (as for tasks), the most frequent first, with the counts of errors and kinds in all
 *   <li>{@code GET /api/errors/{kind}?since=&until=&worker=&limit=}: one kind of error (its id, as
 *       the kinds give it) made in the range, and the workers it hit and the tasks it was made in,
 *       of each the {@code limit} of the most errors; 404 where the range holds none of it
 *   <li>{@code GET /api/tasks/{id}?first=&last=}: the task's timeline, with every record up to
 *       10,000 (past that the newest, the older counted in {@code records_left_out}); with {@code
 *       first} and {@code last}, only that many at each end, and those between them counted ({@code
 *       records_left_out} at {@code left_out_at}); past 1,000 heartbeats, of each worker's in each of
 *       1,000 spans of them, the one of the most VRAM used ({@code heartbeat_count}: all of them)
 *   <li>{@code GET /api/tasks/{id}/records?after=&limit=}: the next page of a task's timeline, the
 *       first {@code limit} (default 1,000) of its records that come after record {@code after}
 *   <li>{@code GET /api/workers/{id}}: the worker with its recent tasks and records
 *   <li>{@code GET /api/workers/{id}/heartbeats?since=&limit=}: its heartbeats since then (6 hours
 *       unless told), oldest first; past {@code limit} (default 5,000), the one of the most VRAM
 *       used in each of {@code limit} spans of them
 *   <li>{@code GET /api/workers?health=}: every worker's health, or only those of the healths
 *       given ({@code health=stale,crashed})
 * </ul>
 */
final class QueryRoutes {

  /**
   * The largest a number parameter is read as: an answer holds at most 10,000 records (tasks,
   * heartbeats), whatever {@code limit} asks, and {@code stale_after_s} is at most 10,000 s.
   */
  static final int LARGEST_NUMBER = 10_000;

  /** The tasks an unknown task's answer names where the id asked for starts theirs. */
  private static final int TASKS_NAMED = 10;

  private final Store store;
  private final StoreGuard guard;
  private final KeyCheck keys;
  private final Clock clock;

  QueryRoutes(Store store, StoreGuard guard, KeyCheck keys, Clock clock) {
    this.store = store;
    this.guard = guard;
    this.keys = keys;
    this.clock = clock;
  }

  void logs(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/logs", List.of("worker", "task", "level", "since", "until", "grep", "component", "meta", "limit",
        "before", "kind", "around", "context"));
    String around = param(ctx, "around");
    if (around != null) {
      json(ctx, records(recordsAround(ctx, around)));
      return;
    }
    if (param(ctx, "context") != null) {
      throw PostgrestError.badRequest("HL400", "context is the records on each side of around's point; give around");
    }
    LogFilter filter = filter(ctx, intParam(ctx, "limit", LogFilter.DEFAULT_LIMIT));
    Long before = longParam(ctx, "before");
    String kind = param(ctx, "kind");
    List<StoredRecord> records = kind != null ? errorsOfKind(ctx, kind, filter, before)
        : guarded(() -> before == null ? store.logs(filter) : store.logsBefore(filter, before));
    json(ctx, records(records));
  }

  private static String records(List<StoredRecord> records) {
    return records.stream().map(StoreJson::record).collect(Collectors.joining(",", "[", "]"));
  }

  /**
   * The records around a point ({@code around=}, as {@code heartlog logs --around}): a record's id
   * (the record itself among them) or a time, with {@code context} (default 20) matching records
   * on each side, oldest first. The point is their range, so a range, a limit, a page and a kind
   * are refused; a record that is gone is a 404.
   */
  private List<StoredRecord> recordsAround(Context ctx, String around) {
    List<String> refused = Stream.of("since", "until", "limit", "before", "kind")
        .filter(name -> !ctx.queryParams(name).isEmpty()).toList();
    if (!refused.isEmpty()) {
      throw PostgrestError.badRequest("HL400", "around lists context records on each side of its point; "
          + "it does not go with " + String.join(", ", refused));
    }
    LogFilter filter = filter(ctx, intParam(ctx, "context", LogFilter.DEFAULT_CONTEXT));
    if (!around.strip().matches("[0-9]+")) {
      Instant at;
      try {
        at = TimeSpec.parse(around, clock);
      } catch (IllegalArgumentException e) {
        throw PostgrestError.badRequest("HL400", "around takes a time or a record's id: " + e.getMessage());
      }
      return guarded(() -> store.logsAround(filter, at));
    }
    long id = longParam(ctx, "around");
    List<StoredRecord> records = guarded(() -> store.logsAround(filter, id));
    if (records.isEmpty()) {
      throw new PostgrestError(404, "HL404", "No record " + id, null, "Records are kept 48 hours");
    }
    return records;
  }

  /**
   * One kind's errors ({@code kind=}, as {@code heartlog logs --kind}): in the range as {@code
   * /api/errors} reads it, the hour before {@code until} unless {@code since} says otherwise, of a
   * worker and a task where given. The kind is that of the range's errors grouped, so the filters
   * on anything else are refused.
   */
  private List<StoredRecord> errorsOfKind(Context ctx, String kind, LogFilter filter, Long before) {
    List<String> refused = Stream.of("level", "grep", "component", "meta")
        .filter(name -> !ctx.queryParams(name).isEmpty()).toList();
    if (!refused.isEmpty()) {
      throw PostgrestError.badRequest("HL400", "kind lists the errors of one kind as /api/errors groups a range's; "
          + "it does not go with " + String.join(", ", refused));
    }
    try {
      Instant since = TaskFilter.sinceOrDefault(filter.since(), filter.until(), clock.instant());
      return guarded(() -> store.errorsOfKind(kind, filter.workerId(), filter.taskId(), since, filter.until(), before,
          filter.limit()));
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
  }

  void tasks(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/tasks", List.of("since", "until", "worker", "failed", "meta", "limit"));
    TaskFilter filter;
    try {
      Instant until = time(ctx, "until");
      filter = new TaskFilter(
          param(ctx, "worker"),
          TaskFilter.sinceOrDefault(time(ctx, "since"), until, clock.instant()),
          until,
          booleanParam(ctx, "failed"),
          MetadataFilter.parse(ctx.queryParams("meta")),
          intParam(ctx, "limit", TaskFilter.DEFAULT_LIMIT));
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
    json(ctx, StoreJson.tasks(guarded(() -> store.tasks(filter))));
  }

  void errors(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/errors", List.of("since", "until", "worker", "limit", "compare"));
    ErrorKinds errors;
    ErrorKinds.Before before = null;
    try {
      Instant now = clock.instant();
      Instant until = time(ctx, "until");
      Instant since = TaskFilter.sinceOrDefault(time(ctx, "since"), until, now);
      String worker = param(ctx, "worker");
      int limit = intParam(ctx, "limit", ErrorKinds.DEFAULT_LIMIT);
      boolean compare = booleanParam(ctx, "compare");
      errors = guarded(() -> store.errorKinds(worker, since, until, limit));
      if (compare) {
        ErrorKinds listed = errors;
        before = guarded(() -> store.errorsBefore(listed, worker, now));
      }
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
    json(ctx, StoreJson.errorKinds(errors, before));
  }

  void volume(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/volume", List.of("since", "until", "worker", "by", "limit", "compare"));
    RecordVolume volume;
    RecordVolume.Before before = null;
    try {
      Instant now = clock.instant();
      Instant until = time(ctx, "until");
      Instant since = TaskFilter.sinceOrDefault(time(ctx, "since"), until, now);
      String worker = param(ctx, "worker");
      RecordVolume.By by = RecordVolume.By.named(Optional.ofNullable(param(ctx, "by")).orElse("worker"));
      int limit = intParam(ctx, "limit", RecordVolume.DEFAULT_LIMIT);
      volume = guarded(() -> store.volume(by, worker, since, until, limit));
      if (booleanParam(ctx, "compare")) {
        RecordVolume listed = volume;
        before = guarded(() -> store.volumeBefore(listed, worker, now));
      }
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
    json(ctx, StoreJson.volume(volume, before));
  }

  void errorKind(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/errors/{kind}", List.of("since", "until", "worker", "limit"));
    String kind = ctx.pathParam("kind");
    Instant since;
    Optional<ErrorKindDetail> detail;
    try {
      Instant until = time(ctx, "until");
      since = TaskFilter.sinceOrDefault(time(ctx, "since"), until, clock.instant());
      String worker = param(ctx, "worker");
      int limit = intParam(ctx, "limit", ErrorKindDetail.DEFAULT_LIMIT);
      detail = guarded(() -> store.errorKind(kind, worker, since, until, limit));
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
    if (detail.isEmpty()) {
      throw new PostgrestError(404, "HL404", "No errors of kind " + kind + " since " + since, null,
          "GET /api/errors lists the range's kinds; records are kept 48 hours");
    }
    json(ctx, StoreJson.errorKind(detail.get()));
  }

  void task(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/tasks/{id}", List.of("first", "last"));
    String id = ctx.pathParam("id");
    Integer first = optionalCount(ctx, "first");
    Integer last = optionalCount(ctx, "last");
    // Without first or last, the newest LARGEST_NUMBER records, as other answers hold at most
    // that: four answers of 100,000 records at once (35 MB of JSON each) ran a server with a
    // 256 MB heap out of memory.
    TaskTimeline task = guarded(() -> first == null && last == null
        ? store.task(id, 0, LARGEST_NUMBER)
        : store.task(id, first == null ? 0 : first, last == null ? 0 : last));
    if (task.isEmpty()) {
      throw unknownTask(id);
    }
    String failureKind = guarded(() -> task.explainingError().flatMap(store::errorKindId).orElse(null));
    ctx.status(200).contentType("application/json");
    try (Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
      StoreJson.task(task, failureKind, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);   // the client went away
    }
  }

  /**
   * An unknown task's answer: where the id asked for starts the ids of tasks (a UUID cut to the 13
   * characters the viewer shows), those ids in {@code details}, one a line, the first {@value
   * #TASKS_NAMED}, for the viewer to link; else that records are kept 48 hours. The API does not
   * take one for the other, as {@code heartlog task} does: a client asking for "job-1" before it
   * has logged is told so, not sent "job-10".
   */
  private PostgrestError unknownTask(String id) {
    String message = "No records or heartbeats for task " + id;
    List<String> starting = guarded(() -> store.taskIdsStartingWith(id, TASKS_NAMED + 1));
    if (starting.isEmpty()) {
      return new PostgrestError(404, "HL404", message, null, "Records are kept 48 hours");
    }
    String hint = starting.size() > TASKS_NAMED
        ? "More than " + TASKS_NAMED + " tasks have ids that start so; the first " + TASKS_NAMED + " are in details, one a line"
        : "The tasks whose id starts so are in details, one a line";
    return new PostgrestError(404, "HL404", message, String.join("\n", starting.subList(0, Math.min(TASKS_NAMED, starting.size()))), hint);
  }

  void taskRecords(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/tasks/{id}/records", List.of("after", "limit"));
    String id = ctx.pathParam("id");
    Long after = longParam(ctx, "after");
    if (after == null) {
      throw PostgrestError.badRequest("HL400", "after must name the record the page follows (after=<id>)");
    }
    int limit = intParam(ctx, "limit", 1_000);
    List<StoredRecord> records = guarded(() -> store.taskRecordsAfter(id, after, limit));
    json(ctx, records.stream().map(StoreJson::record).collect(Collectors.joining(",", "[", "]")));
  }

  void worker(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/workers/{id}", List.of("limit"));
    String id = ctx.pathParam("id");
    int limit = intParam(ctx, "limit", 200);
    Optional<WorkerDetail> worker = guarded(() -> store.worker(id, limit, 20));
    json(ctx, StoreJson.worker(worker.orElseThrow(() -> unknownWorker(id))));
  }

  /**
   * An unknown worker's answer: the fleet's ids nearest the one asked for ({@code demo-gpu1}:
   * demo-gpu-1; {@link NearNames#nearestIds}) in {@code details}, one a line, for the viewer to
   * link, as {@code heartlog worker} names them.
   */
  private PostgrestError unknownWorker(String id) {
    List<String> ids = guarded(() -> store.workers(Store.DEFAULT_STALE_AFTER)).stream().map(WorkerHealth::id).toList();
    List<String> near = NearNames.nearestIds(id, ids);
    return near.isEmpty()
        ? new PostgrestError(404, "HL404", "No worker " + id, null, "GET /api/workers lists the fleet")
        : new PostgrestError(404, "HL404", "No worker " + id, String.join("\n", near),
            "The workers whose id is nearest it are in details, one a line");
  }

  void heartbeats(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/workers/{id}/heartbeats", List.of("since", "limit"));
    String id = ctx.pathParam("id");
    Instant from;
    try {
      Instant since = time(ctx, "since");
      from = since == null ? clock.instant().minus(Duration.ofHours(6)) : since;
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
    json(ctx, StoreJson.heartbeats(guarded(() -> store.heartbeats(id, from, intParam(ctx, "limit", 5_000)))));
  }

  void workers(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/workers", List.of("health", "stale_after_s"));
    Duration staleAfter = Duration.ofSeconds(intParam(ctx, "stale_after_s", (int) Store.DEFAULT_STALE_AFTER.toSeconds()));
    List<String> healths = ctx.queryParams("health").stream()
        .flatMap(h -> Arrays.stream(h.split(","))).filter(h -> !h.isBlank()).toList();
    json(ctx, StoreJson.workers(WorkerHealth.withHealth(guarded(() -> store.workers(staleAfter)), healths)));
  }

  /**
   * The workers whose clock is a minute or more off the store's, the furthest first: their
   * records carry their own times, so a range of times misses what they logged in it.
   */
  void clocks(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    takes(ctx, "GET /api/clocks", List.of());
    json(ctx, StoreJson.clocks(guarded(() -> store.skewedClocks(WorkerHealth.RANGE_SKEW))));
  }

  /**
   * Any other path or method under {@code /api}: an error in the API's JSON shape, saying what it
   * answers, where Javalin's was a text page that a client parsing JSON could not read.
   */
  static void notServed(Context ctx) {
    String served = "The API answers GET /api/logs, /api/errors, /api/errors/{kind}, /api/tasks, /api/tasks/{id}, /api/tasks/{id}/records, /api/volume, "
        + "/api/workers, /api/workers/{id}, /api/workers/{id}/heartbeats, /api/clocks and /api/tail";
    if (!ctx.method().name().equals("GET")) {
      throw new PostgrestError(405, "HL405", "The API answers GET only, not " + ctx.method().name(), null, served);
    }
    throw new PostgrestError(404, "HL404", "No endpoint GET " + ctx.path(), null, served);
  }

  private LogFilter filter(Context ctx, int limit) {
    try {
      return new LogFilter(
          param(ctx, "worker"),
          param(ctx, "task"),
          LogFilter.minimumLevel(param(ctx, "level")),
          time(ctx, "since"),
          time(ctx, "until"),
          param(ctx, "grep"),
          param(ctx, "component"),
          MetadataFilter.parse(ctx.queryParams("meta")),
          limit);
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
  }

  /**
   * The time the parameter {@code name} gives, null where it is not given. A refusal names the
   * parameter, as the command line names its option: {@code Invalid value for until: '22.00' is
   * neither ...}; before, a request giving since and until did not say which it was.
   */
  private Instant time(Context ctx, String name) {
    String value = param(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return TimeSpec.parse(value, clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid value for " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * A positive whole number, a larger one than {@link #LARGEST_NUMBER} read as that; {@code
   * fallback} when absent.
   */
  private static int intParam(Context ctx, String name, int fallback) {
    String value = param(ctx, name);
    if (value == null) {
      return fallback;
    }
    long number;
    try {
      number = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw PostgrestError.badRequest("HL400", name + " must be a whole number (got '" + value + "')");
    }
    if (number < 1) {
      throw PostgrestError.badRequest("HL400", name + " must be positive (got '" + value + "')");
    }
    return (int) Math.min(LARGEST_NUMBER, number);
  }

  /** How many records to show at one end of a task: 0 or more, at most {@link #LARGEST_NUMBER}; null when absent. */
  private static Integer optionalCount(Context ctx, String name) {
    String value = param(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      long number = Long.parseLong(value);
      if (number >= 0) {
        return (int) Math.min(LARGEST_NUMBER, number);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw PostgrestError.badRequest("HL400", name + " must be a whole number, 0 or more (got '" + value + "')");
  }

  private static boolean booleanParam(Context ctx, String name) {
    String value = param(ctx, name);
    if (value == null || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw PostgrestError.badRequest("HL400", name + " must be true or false (got '" + value + "')");
  }

  private static Long longParam(Context ctx, String name) {
    String value = param(ctx, name);
    try {
      return value == null ? null : Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw PostgrestError.badRequest("HL400", name + " must be a record's id, a whole number (got '" + value + "')");
    }
  }

  /** Refuses a parameter the endpoint does not take ({@link QueryParameter#onlyTaken}). */
  private static void takes(Context ctx, String endpoint, List<String> taken) {
    try {
      QueryParameter.onlyTaken(ctx.queryParamMap().keySet(), endpoint, taken);
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
  }

  /** The one value of a parameter that takes one ({@link QueryParameter}), trimmed; null when absent or blank. */
  private static String param(Context ctx, String name) {
    try {
      return QueryParameter.one(name, ctx.queryParams(name));
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
  }

  private <T> T guarded(Supplier<T> query) {
    return guard.call(query);
  }

  private static void json(Context ctx, String body) {
    ctx.status(200).contentType("application/json").result(body);
  }
}
