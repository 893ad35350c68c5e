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
 *
 * <p>Each endpoint reads its query parameters through {@link ApiParameters}: one the endpoint does
 * not take, or a value that cannot be read, is a 400 naming it.
 */
final class QueryRoutes {

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
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/logs",
        List.of("worker", "task", "level", "since", "until", "grep", "component", "meta", "limit",
            "before", "kind", "around", "context"));
    String around = params.one("around");
    if (around != null) {
      json(ctx, records(recordsAround(params, around)));
      return;
    }
    if (params.one("context") != null) {
      throw PostgrestError.badRequest("HL400", "context is the records on each side of around's point; give around");
    }
    LogFilter filter = params.logFilter(params.positive("limit", LogFilter.DEFAULT_LIMIT));
    Long before = params.id("before");
    String kind = params.one("kind");
    List<StoredRecord> records = kind != null ? errorsOfKind(params, kind, filter, before)
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
  private List<StoredRecord> recordsAround(ApiParameters params, String around) {
    List<String> refused = Stream.of("since", "until", "limit", "before", "kind")
        .filter(params::given).toList();
    if (!refused.isEmpty()) {
      throw PostgrestError.badRequest("HL400", "around lists context records on each side of its point; "
          + "it does not go with " + String.join(", ", refused));
    }
    LogFilter filter = params.logFilter(params.positive("context", LogFilter.DEFAULT_CONTEXT));
    if (!around.strip().matches("[0-9]+")) {
      Instant at;
      try {
        at = TimeSpec.parse(around, clock);
      } catch (IllegalArgumentException e) {
        throw PostgrestError.badRequest("HL400", "around takes a time or a record's id: " + e.getMessage());
      }
      return guarded(() -> store.logsAround(filter, at));
    }
    long id = params.id("around");
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
  private List<StoredRecord> errorsOfKind(ApiParameters params, String kind, LogFilter filter, Long before) {
    List<String> refused = Stream.of("level", "grep", "component", "meta")
        .filter(params::given).toList();
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
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/tasks",
        List.of("since", "until", "worker", "failed", "meta", "limit"));
    TaskFilter filter;
    try {
      Instant until = params.time("until");
      filter = new TaskFilter(
          params.one("worker"),
          TaskFilter.sinceOrDefault(params.time("since"), until, clock.instant()),
          until,
          params.flag("failed"),
          MetadataFilter.parse(ctx.queryParams("meta")),
          params.positive("limit", TaskFilter.DEFAULT_LIMIT));
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
    json(ctx, StoreJson.tasks(guarded(() -> store.tasks(filter))));
  }

  void errors(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/errors",
        List.of("since", "until", "worker", "limit", "compare"));
    ErrorKinds errors;
    ErrorKinds.Before before = null;
    try {
      Instant now = clock.instant();
      Instant until = params.time("until");
      Instant since = TaskFilter.sinceOrDefault(params.time("since"), until, now);
      String worker = params.one("worker");
      int limit = params.positive("limit", ErrorKinds.DEFAULT_LIMIT);
      boolean compare = params.flag("compare");
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
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/volume",
        List.of("since", "until", "worker", "by", "limit", "compare"));
    RecordVolume volume;
    RecordVolume.Before before = null;
    try {
      Instant now = clock.instant();
      Instant until = params.time("until");
      Instant since = TaskFilter.sinceOrDefault(params.time("since"), until, now);
      String worker = params.one("worker");
      RecordVolume.By by = RecordVolume.By.named(Optional.ofNullable(params.one("by")).orElse("worker"));
      int limit = params.positive("limit", RecordVolume.DEFAULT_LIMIT);
      volume = guarded(() -> store.volume(by, worker, since, until, limit));
      if (params.flag("compare")) {
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
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/errors/{kind}",
        List.of("since", "until", "worker", "limit"));
    String kind = ctx.pathParam("kind");
    Instant since;
    Optional<ErrorKindDetail> detail;
    try {
      Instant until = params.time("until");
      since = TaskFilter.sinceOrDefault(params.time("since"), until, clock.instant());
      String worker = params.one("worker");
      int limit = params.positive("limit", ErrorKindDetail.DEFAULT_LIMIT);
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
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/tasks/{id}", List.of("first", "last"));
    String id = ctx.pathParam("id");
    Integer first = params.count("first");
    Integer last = params.count("last");
    // Without first or last, the newest ApiParameters.LARGEST_NUMBER records, as other answers hold at most
    // that: four answers of 100,000 records at once (35 MB of JSON each) ran a server with a
    // 256 MB heap out of memory.
    TaskTimeline task = guarded(() -> first == null && last == null
        ? store.task(id, 0, ApiParameters.LARGEST_NUMBER)
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
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/tasks/{id}/records", List.of("after", "limit"));
    String id = ctx.pathParam("id");
    Long after = params.id("after");
    if (after == null) {
      throw PostgrestError.badRequest("HL400", "after must name the record the page follows (after=<id>)");
    }
    int limit = params.positive("limit", 1_000);
    List<StoredRecord> records = guarded(() -> store.taskRecordsAfter(id, after, limit));
    json(ctx, records.stream().map(StoreJson::record).collect(Collectors.joining(",", "[", "]")));
  }

  void worker(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/workers/{id}", List.of("limit"));
    String id = ctx.pathParam("id");
    int limit = params.positive("limit", 200);
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
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/workers/{id}/heartbeats",
        List.of("since", "limit"));
    String id = ctx.pathParam("id");
    Instant from;
    try {
      Instant since = params.time("since");
      from = since == null ? clock.instant().minus(Duration.ofHours(6)) : since;
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
    json(ctx, StoreJson.heartbeats(guarded(() -> store.heartbeats(id, from, params.positive("limit", 5_000)))));
  }

  void workers(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    ApiParameters params = ApiParameters.taken(ctx, clock, "GET /api/workers", List.of("health", "stale_after_s"));
    Duration staleAfter = Duration.ofSeconds(params.positive("stale_after_s", (int) Store.DEFAULT_STALE_AFTER.toSeconds()));
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
    ApiParameters.taken(ctx, clock, "GET /api/clocks", List.of());
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

  private <T> T guarded(Supplier<T> query) {
    return guard.call(query);
  }

  private static void json(Context ctx, String body) {
    ctx.status(200).contentType("application/json").result(body);
  }
}
