package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the errors of a range are grouped into kinds ({@code heartlog errors}): by the line that
 * names their exception, else by their message's first line, numbers taken as alike; each kind
 * counted, and shown by its latest error.
 */
class ErrorKindsTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store.withConnection(c -> {
      TestDatabase.heartbeat(c, "gpu-a", records(
          // One fault, out of GPU memory, in three tasks on two workers, each time of another size.
          traced(50, "ERROR", "render failed", "t-1", oom("2.00")),
          traced(40, "ERROR", "render failed", "t-2", oom("2.00")),
          traced(30, "CRITICAL", "frame 7 lost", "t-2", oom("12.50")),
          // Errors without a trace, of one fault on different frames.
          record(20, "ERROR", "decoder failed at frame 12\nin /srv/in.mp4", "t-1"),
          record(19, "ERROR", "decoder failed at frame 13", "t-2"),
          // A task's UUID in the message: one kind for every task so failed.
          record(18, "ERROR", "task 3f2a9c1e-77b0-4d2e-9a51-0c8e2b6d1f43 timed out", null),
          record(17, "ERROR", "task 9b1d5e7a-2c4f-4e8b-8d3a-6f0e1a2b3c4d timed out", null),
          // A warning is no error; nor is an error before the range.
          traced(16, "WARNING", "render slow", "t-1", oom("1.00")),
          record(120, "ERROR", "an old failure", "t-0"),
          // An exception group's boxed trace names no exception: the message says it.
          traced(15, "ERROR", "ExceptionGroup: 2 frames failed", "t-3",
              "  + Exception Group Traceback (most recent call last):\\n  | ValueError: frame 1"),
          // An exception of only white space, or null, says nothing.
          traced(14, "ERROR", "upload failed", "t-3", "\\n  \\n"),
          withMetadata(13, "ERROR", "upload failed", "t-4", "{\"exception\": null}")));
      TestDatabase.heartbeat(c, "gpu-b", records(
          traced(10, "ERROR", "render failed", "t-5", oom("5.00")),
          // Two errors of one kind made at the same time: the one stored second is its latest.
          record(5, "ERROR", "disk full writing frame 1", "t-6"),
          record(5, "ERROR", "disk full writing frame 2", "t-7")));
      TestDatabase.heartbeat(c, "gpu-f", records(
          // A retry loop's flood: its first records kept with their exception, the rest counted
          // in one record that carries no exception.
          traced(6, "ERROR", "connection to redis:6379 refused, retrying", "t-8", CONNECT),
          traced(6, "ERROR", "connection to redis:6379 refused, retrying", "t-8", CONNECT),
          traced(6, "ERROR", "connection to redis:6379 refused, retrying", "t-8", CONNECT),
          withMetadata(5, "ERROR", "repeated 997 more times: connection to redis:6379 refused, retrying", "t-8",
              "{\"repeated\": 997}"),
          // A message that only looks like a count: one error.
          record(7, "ERROR", "repeated 3 more times: the upload, then gave up", "t-9")));
      TestDatabase.heartbeat(c, "gpu-w", records(
          // Hours before the other ranges: a failure whose stack trace a warning after it does not say.
          traced(300, "ERROR", "render failed", "t-10", CONNECT),
          traced(299, "WARNING", "retrying the upload", "t-10", oom("1.00")),
          record(298, "ERROR", "Task failed", "t-10")));
      TestDatabase.heartbeat(c, "gpu-s", records(
          // Hours before the others: Spring Boot's report of a worker that could not start, its
          // heading between rules of asterisks, twice of another cause; and a rule alone.
          record(501, "ERROR", SPRING_REPORT + "Web server failed to start. Port 8080 was already in use.", null),
          record(500, "ERROR", SPRING_REPORT + "Failed to configure a DataSource: 'url' attribute is not specified.", null),
          record(499, "ERROR", "**********", null)));
      TestDatabase.heartbeat(c, "gpu-n", records(
          // Hours before the others: Node.js's fetch failing, as console.error prints it, for
          // three causes, one of them on two addresses.
          traced(701, "ERROR", "upload failed", "t-n1", fetchFailed("Error: connect ECONNREFUSED 127.0.0.1:8188")),
          traced(700, "ERROR", "upload failed", "t-n2", fetchFailed("Error: connect ECONNREFUSED 10.0.0.7:8188")),
          traced(699, "ERROR", "upload failed", "t-n3", fetchFailed("Error: getaddrinfo ENOTFOUND api.example.com")),
          traced(698, "ERROR", "upload failed", "t-n4", fetchFailed("[Error: bad port] {"))));
      return null;
    });
  }

  private static String fetchFailed(String cause) {
    return "TypeError: fetch failed\\n    at async upload (/app/worker.js:4:5) {\\n  [cause]: " + cause
        + "\\n      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)\\n  }\\n}";
  }

  private static final String SPRING_REPORT =
      "\n\n***************************\nAPPLICATION FAILED TO START\n***************************\n\nDescription:\n\n";

  private static final String CONNECT = "java.net.ConnectException: Connection refused\\n\\tat Redis.connect(Redis.java:80)";

  private static ErrorKinds lastHour(String worker, int limit) {
    return store.errorKinds(worker, NOW.minus(Duration.ofHours(1)), null, limit);
  }

  @Test
  void oneFaultOfManySizesOnManyTasksAndWorkersIsOneKindShownByItsLatestError() {
    ErrorKind oom = lastHour(null, 20).kinds().get(1);

    assertThat(oom.errors()).as("ERROR and CRITICAL, not the warning").isEqualTo(4);
    assertThat(oom.workers()).isEqualTo(2);
    assertThat(oom.tasks()).isEqualTo(3);
    assertThat(oom.firstAt()).isEqualTo(NOW.minus(Duration.ofMinutes(50)));
    assertThat(oom.lastAt()).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
    assertThat(oom.exception()).isEqualTo("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 5.00 GiB");
    assertThat(oom.message()).isEqualTo("render failed");
    assertThat(oom.taskId()).isEqualTo("t-5");
    assertThat(oom.workerId()).isEqualTo("gpu-b");
  }

  @Test
  void errorsWithoutATraceAreKindsByTheirMessagesFirstLineNumbersAndIdsTakenAsAlike() {
    List<String> kinds = summaries(lastHour(null, 20));

    assertThat(kinds).contains(
        "2 decoder failed at frame 13 (t-2)",
        "2 task 9b1d5e7a-2c4f-4e8b-8d3a-6f0e1a2b3c4d timed out (no task)",
        "2 upload failed (t-4)",
        "1 ExceptionGroup: 2 frames failed (t-3)");
  }

  @Test
  void aMessageWhoseFirstLineSaysNothingIsOfTheKindOfItsFirstLineThatDoes() {
    ErrorKinds spring = store.errorKinds("gpu-s", NOW.minus(Duration.ofMinutes(510)), NOW.minus(Duration.ofMinutes(490)), 20);

    assertThat(spring.kinds()).as("a kind's id is the start of its text's MD5").extracting(ErrorKind::errors, ErrorKind::id)
        .containsExactlyInAnyOrder(tuple(2L, md5("APPLICATION FAILED TO START")), tuple(1L, md5("**********")));
  }

  @Test
  void javaScriptErrorsOfOneLineAreKindsByWhatTheirCausesSay() {
    ErrorKinds node = store.errorKinds("gpu-n", NOW.minus(Duration.ofMinutes(710)), NOW.minus(Duration.ofMinutes(690)), 20);

    assertThat(node.kinds()).extracting(ErrorKind::errors, ErrorKind::exception).containsExactlyInAnyOrder(
        tuple(2L, "TypeError: fetch failed, caused by Error: connect ECONNREFUSED 10.0.0.7:8188"),
        tuple(1L, "TypeError: fetch failed, caused by Error: getaddrinfo ENOTFOUND api.example.com"),
        tuple(1L, "TypeError: fetch failed, caused by Error: bad port"));
  }

  private static String md5(String kind) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(kind.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (java.security.NoSuchAlgorithmException impossible) {
      throw new AssertionError(impossible);
    }
  }

  @Test
  void ofTwoErrorsOfAKindMadeAtTheSameTimeTheOneStoredLastIsItsLatest() {
    assertThat(summaries(lastHour("gpu-b", 20))).containsExactly(
        "2 disk full writing frame 2 (t-7)",
        "1 render failed (t-5)");
  }

  @Test
  void theMostFrequentKindsComeFirstAndTheTotalsCountThoseNotListed() {
    ErrorKinds all = lastHour(null, 20);
    ErrorKinds three = lastHour(null, 3);

    assertThat(all.kinds()).extracting(ErrorKind::errors).containsExactly(1000L, 4L, 2L, 2L, 2L, 2L, 1L, 1L);
    assertThat(all.kinds().get(2).message()).as("of kinds as frequent, the latest first").startsWith("disk full");
    assertThat(all.errorCount()).isEqualTo(1014);
    assertThat(all.kindCount()).isEqualTo(8);
    assertThat(three.kinds()).extracting(ErrorKind::message).as("the kinds past the limit are the least frequent, then the oldest")
        .containsExactly("connection to redis:6379 refused, retrying", "render failed", "disk full writing frame 2");
    assertThat(three.errorCount()).isEqualTo(1014);
    assertThat(three.kindCount()).isEqualTo(8);
  }

  @Test
  void aFloodCountedInOneRecordIsTheErrorsItStandsForOfTheKindOfThoseItRepeats() {
    ErrorKind flood = lastHour("gpu-f", 20).kinds().get(0);

    assertThat(flood.errors()).isEqualTo(1000);
    assertThat(flood.exception()).as("the repeated records'").isEqualTo("java.net.ConnectException: Connection refused");
    assertThat(flood.message()).as("without the count").isEqualTo("connection to redis:6379 refused, retrying");
    assertThat(flood.lastAt()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
    assertThat(summaries(lastHour("gpu-f", 20))).as("without the count in its metadata, a message of its own")
        .containsExactly("1000 connection to redis:6379 refused, retrying (t-8)", "1 repeated 3 more times: the upload, then gave up (t-9)");
  }

  @Test
  void aRangeWithoutErrorsHasNoKinds() {
    ErrorKinds none = store.errorKinds(null, NOW.minus(Duration.ofMinutes(4)), null, 20);

    assertThat(none.kinds()).isEmpty();
    assertThat(none.errorCount()).isZero();
    assertThat(none.kindCount()).isZero();
    assertThat(store.errorKinds(null, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(60)), 20).errorCount())
        .as("until bounds the range").isEqualTo(1);
  }

  @Test
  void aRangeThatEndsBeforeItStartsIsRefused() {
    assertThatThrownBy(() -> store.errorKinds(null, NOW, NOW.minus(Duration.ofHours(1)), 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is after until");
  }

  @Test
  void eachKindHasAnIdOfItsOwnTheSameInEveryRangeAndForEveryWorker() {
    ErrorKinds all = lastHour(null, 20);
    ErrorKind oom = all.kinds().get(1);

    assertThat(all.kinds()).extracting(ErrorKind::id).allMatch(id -> id.matches("[0-9a-f]{8}")).doesNotHaveDuplicates();
    assertThat(lastHour("gpu-b", 20).kinds()).filteredOn(kind -> kind.message().equals("render failed"))
        .extracting(ErrorKind::id).containsExactly(oom.id());
    assertThat(store.errorKinds(null, NOW.minus(Duration.ofMinutes(45)), NOW.minus(Duration.ofMinutes(35)), 20).kinds())
        .extracting(ErrorKind::id).as("a range holding only the kind's 2.00 GiB error").containsExactly(oom.id());
  }

  @Test
  void aKindsDetailListsTheWorkersAndTasksItHitTheMostErrorsFirst() {
    String oomId = lastHour(null, 20).kinds().get(1).id();

    ErrorKindDetail oom = store.errorKind(oomId, null, NOW.minus(Duration.ofHours(1)), null, 20).orElseThrow();

    assertThat(oom.kind()).as("counted as the list counts it").isEqualTo(lastHour(null, 20).kinds().get(1));
    assertThat(oom.workers()).extracting(ErrorKindsTest::part).containsExactly(
        "gpu-a: 3 errors, 1 worker, 2 tasks, 50-30 min ago, latest t-2 frame 7 lost",
        "gpu-b: 1 errors, 1 worker, 1 tasks, 10-10 min ago, latest t-5 render failed");
    assertThat(oom.workerCount()).isEqualTo(2);
    assertThat(oom.tasks()).extracting(ErrorKindsTest::part).as("of tasks as many errors, the latest first").containsExactly(
        "gpu-a: 2 errors, 1 worker, 1 tasks, 40-30 min ago, latest t-2 frame 7 lost",
        "gpu-b: 1 errors, 1 worker, 1 tasks, 10-10 min ago, latest t-5 render failed",
        "gpu-a: 1 errors, 1 worker, 1 tasks, 50-50 min ago, latest t-1 render failed");
    assertThat(oom.taskCount()).isEqualTo(3);
    assertThat(oom.workers().get(0).exception()).as("the worker's latest error's")
        .isEqualTo("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 12.50 GiB");
    assertThat(oom.stackTrace()).as("the kind's latest error's, whole").startsWith("Traceback (most recent call last):\n")
        .endsWith("Tried to allocate 5.00 GiB\n");
  }

  @Test
  void aKindsErrorsAreCountedInSpansOfTheRangeThatReadAsAClock() {
    String oomId = lastHour(null, 20).kinds().get(1).id();

    ErrorKindDetail hour = store.errorKind(oomId, null, NOW.minus(Duration.ofHours(1)), NOW, 20).orElseThrow();
    ErrorKindDetail tenMinutes = store.errorKind(oomId, null, NOW.minus(Duration.ofMinutes(50)), NOW.minus(Duration.ofMinutes(40)),
        20).orElseThrow();

    assertThat(hour.spanWidth()).isEqualTo(Duration.ofMinutes(1));
    assertThat(hour.errorsOverTime()).hasSize(60);
    List<Integer> spansWithErrors = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      if (hour.errorsOverTime().get(i) > 0) {
        spansWithErrors.add(i);
      }
    }
    assertThat(spansWithErrors).as("50, 40, 30 and 10 minutes ago").containsExactly(10, 20, 30, 50);
    assertThat(hour.errorsOverTime().stream().mapToLong(Long::longValue).sum()).isEqualTo(hour.kind().errors());
    assertThat(tenMinutes.spanWidth()).isEqualTo(Duration.ofSeconds(10));
    assertThat(tenMinutes.errorsOverTime()).hasSize(60).startsWith(1L, 0L);
  }

  @Test
  void aRangeIsCutIntoAtMostSixtySpansOfAWidthThatReadsAsAClock() {
    assertThat(ErrorKindDetail.spanWidth(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(10));
    assertThat(ErrorKindDetail.spanWidth(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
    assertThat(ErrorKindDetail.spanWidth(Duration.ofHours(1).plusMillis(40))).as("the moment before the store was asked")
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(ErrorKindDetail.spanWidth(Duration.ofHours(1).plusSeconds(1))).isEqualTo(Duration.ofMinutes(2));
    assertThat(ErrorKindDetail.spanWidth(Duration.ofHours(48))).isEqualTo(Duration.ofHours(1));
    assertThat(ErrorKindDetail.spanWidth(Duration.ofDays(90))).as("past the widest").isEqualTo(Duration.ofHours(36));
    assertThat(ErrorKindDetail.spans(Duration.ofHours(1).plusSeconds(1), Duration.ofMinutes(2))).isEqualTo(31);
    assertThat(ErrorKindDetail.spans(Duration.ofHours(1).plusMillis(40), Duration.ofMinutes(1))).isEqualTo(60);
    assertThat(ErrorKindDetail.spans(Duration.ofHours(1), Duration.ofMinutes(1))).isEqualTo(60);
    assertThat(ErrorKindDetail.spans(Duration.ZERO, Duration.ofSeconds(1))).isEqualTo(1);
  }

  @Test
  void aKindsDetailListsAsManyWorkersAndTasksAsAskedAndCountsThemAll() {
    String oomId = lastHour(null, 20).kinds().get(1).id();

    ErrorKindDetail oom = store.errorKind(oomId, null, NOW.minus(Duration.ofHours(1)), null, 1).orElseThrow();

    assertThat(oom.kind().errors()).isEqualTo(4);
    assertThat(oom.workers()).extracting(ErrorKind::workerId).containsExactly("gpu-a");
    assertThat(oom.workerCount()).isEqualTo(2);
    assertThat(oom.tasks()).extracting(ErrorKind::taskId).containsExactly("t-2");
    assertThat(oom.taskCount()).isEqualTo(3);
  }

  @Test
  void aKindsDetailOfOneWorkerOrOfAnotherRangeCountsOnlyItsErrors() {
    String oomId = lastHour(null, 20).kinds().get(1).id();

    ErrorKindDetail ofB = store.errorKind(oomId, "gpu-b", NOW.minus(Duration.ofHours(1)), null, 20).orElseThrow();
    ErrorKindDetail early = store.errorKind(oomId, null, NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofMinutes(35)), 20)
        .orElseThrow();

    assertThat(ofB.kind().errors()).isEqualTo(1);
    assertThat(ofB.workers()).extracting(ErrorKind::workerId).containsExactly("gpu-b");
    assertThat(early.kind().errors()).isEqualTo(2);
    assertThat(early.tasks()).extracting(ErrorKind::taskId).containsExactly("t-2", "t-1");
    assertThat(store.errorKind(oomId, "gpu-f", NOW.minus(Duration.ofHours(1)), null, 20)).as("a worker it did not hit").isEmpty();
  }

  @Test
  void errorsOfAKindMadeOutsideATaskAreOneEntryWithoutATask() {
    ErrorKind timedOut = lastHour(null, 20).kinds().stream().filter(kind -> kind.message().endsWith("timed out"))
        .findFirst().orElseThrow();

    ErrorKindDetail detail = store.errorKind(timedOut.id(), null, NOW.minus(Duration.ofHours(1)), null, 20).orElseThrow();

    assertThat(detail.kind().tasks()).isZero();
    assertThat(detail.stackTrace()).as("none").isNull();
    assertThat(detail.tasks()).extracting(ErrorKindsTest::part)
        .containsExactly("gpu-a: 2 errors, 1 worker, 0 tasks, 18-17 min ago, latest no task task 9b1d5e7a-2c4f-4e8b-8d3a-6f0e1a2b3c4d timed out");
    assertThat(detail.taskCount()).isEqualTo(1);
  }

  @Test
  void aFloodsDetailCountsTheErrorsItStandsFor() {
    ErrorKind flood = lastHour(null, 20).kinds().get(0);

    ErrorKindDetail detail = store.errorKind(flood.id(), null, NOW.minus(Duration.ofHours(1)), null, 20).orElseThrow();

    assertThat(detail.workers()).extracting(ErrorKind::errors).containsExactly(1000L);
    assertThat(detail.stackTrace()).as("the last repeated record's: the count carries none")
        .isEqualTo("java.net.ConnectException: Connection refused\n\tat Redis.connect(Redis.java:80)");
    assertThat(detail.tasks()).extracting(ErrorKind::errors).containsExactly(1000L);
  }

  @Test
  void aKindIdIsTakenInEitherCaseAndAnythingElseIsRefused() {
    String oomId = lastHour(null, 20).kinds().get(1).id();
    Instant hourAgo = NOW.minus(Duration.ofHours(1));

    assertThat(store.errorKind(" " + oomId.toUpperCase(java.util.Locale.ROOT), null, hourAgo, null, 20)).isPresent();
    assertThat(store.errorKind("00000000", null, hourAgo, null, 20)).as("no such kind").isEmpty();
    for (String bad : new String[] {"render failed", oomId.substring(1), oomId + "0", "g" + oomId.substring(1), "", null}) {
      assertThatThrownBy(() -> store.errorKind(bad, null, hourAgo, null, 20)).as(String.valueOf(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 hex digits");
    }
  }

  @Test
  void anErrorsKindIdIsTheOneTheListGivesItsKind() {
    List<ErrorKind> kinds = lastHour(null, 20).kinds();
    TaskTimeline traced = store.task("t-5");
    TaskTimeline flood = store.task("t-8");
    TaskTimeline untraced = store.task("t-4");

    assertThat(store.errorKindId(traced.failure().orElseThrow())).contains(kinds.get(1).id());
    assertThat(store.errorKindId(flood.failure().orElseThrow())).as("a flood's count, of the kind of the records it repeats")
        .contains(kinds.get(0).id());
    assertThat(store.errorKindId(untraced.failure().orElseThrow())).as("its message's kind")
        .contains(kinds.stream().filter(kind -> kind.message().equals("upload failed")).findFirst().orElseThrow().id());
    assertThat(store.errorKindId(store.task("t-1").records().stream().filter(r -> r.level().equals("WARNING"))
        .findFirst().orElseThrow())).as("a warning is of no kind of error").isEmpty();
  }

  @Test
  void theErrorThatExplainsAFailureIsTheLastBeforeItWithAStackTraceWhereItHasNone() {
    StoredRecord flood = store.task("t-8").explainingError().orElseThrow();

    assertThat(flood.message()).as("the count has no stack trace; the last record it repeats has")
        .isEqualTo("connection to redis:6379 refused, retrying");
    assertThat(flood.exception()).startsWith("java.net.ConnectException");
    assertThat(store.task("t-2").explainingError().orElseThrow().message())
        .as("the failure, decoder failed at frame 13, has none: the error before it that has").isEqualTo("frame 7 lost");
    assertThat(store.task("t-5").explainingError().orElseThrow().exception()).as("its own").contains("5.00 GiB");
    assertThat(store.task("t-4").explainingError().orElseThrow().message()).as("none before it: itself")
        .isEqualTo("upload failed");
    assertThat(store.task("t-10").explainingError().orElseThrow().message()).as("an error's, not a warning's")
        .isEqualTo("render failed");
    assertThat(store.task("no-such-task").explainingError()).isEmpty();
  }

  @Test
  void aKindsErrorsAreListedWholeOldestFirstTheNewestAsManyAsAsked() {
    String oomId = lastHour(null, 20).kinds().get(1).id();
    Instant hourAgo = NOW.minus(Duration.ofHours(1));

    List<StoredRecord> all = store.errorsOfKind(oomId, null, null, hourAgo, null, null, 20);
    List<StoredRecord> newest = store.errorsOfKind(oomId, null, null, hourAgo, null, null, 2);

    assertThat(all).extracting(ErrorKindsTest::line).containsExactly(
        "50 gpu-a t-1 ERROR render failed",
        "40 gpu-a t-2 ERROR render failed",
        "30 gpu-a t-2 CRITICAL frame 7 lost",
        "10 gpu-b t-5 ERROR render failed");
    assertThat(all.get(2).exception()).as("each whole, its own numbers and all")
        .endsWith("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 12.50 GiB\n");
    assertThat(newest).extracting(ErrorKindsTest::line).containsExactly(
        "30 gpu-a t-2 CRITICAL frame 7 lost",
        "10 gpu-b t-5 ERROR render failed");
    assertThat(store.errorsOfKind(oomId, "gpu-a", "t-2", hourAgo, null, null, 20)).extracting(ErrorKindsTest::line)
        .as("of one worker's task").containsExactly("40 gpu-a t-2 ERROR render failed", "30 gpu-a t-2 CRITICAL frame 7 lost");
    assertThat(store.errorsOfKind(oomId, null, null, hourAgo, NOW.minus(Duration.ofMinutes(35)), null, 20))
        .extracting(ErrorKindsTest::line).as("of a range that ends before the latest")
        .containsExactly("50 gpu-a t-1 ERROR render failed", "40 gpu-a t-2 ERROR render failed");
    assertThat(store.errorsOfKind("00000000", null, null, hourAgo, null, null, 20)).isEmpty();
    assertThatThrownBy(() -> store.errorsOfKind("render", null, null, hourAgo, null, null, 20))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 hex digits");
  }

  @Test
  void aKindsErrorsArePagedBackFromTheOldestOfAPageTiesOnTimeIncluded() {
    Instant hourAgo = NOW.minus(Duration.ofHours(1));
    String oomId = lastHour(null, 20).kinds().get(1).id();
    String diskFullId = lastHour("gpu-b", 20).kinds().get(0).id();

    List<StoredRecord> first = store.errorsOfKind(oomId, null, null, hourAgo, null, null, 3);
    List<StoredRecord> second = store.errorsOfKind(oomId, null, null, hourAgo, null, first.get(0).id(), 3);
    List<StoredRecord> latestDiskFull = store.errorsOfKind(diskFullId, null, null, hourAgo, null, null, 1);
    List<StoredRecord> beforeIt = store.errorsOfKind(diskFullId, null, null, hourAgo, null, latestDiskFull.get(0).id(), 1);

    assertThat(second).extracting(ErrorKindsTest::line).containsExactly("50 gpu-a t-1 ERROR render failed");
    assertThat(store.errorsOfKind(oomId, null, null, hourAgo, null, second.get(0).id(), 3)).as("past the oldest").isEmpty();
    assertThat(latestDiskFull).extracting(StoredRecord::message).containsExactly("disk full writing frame 2");
    assertThat(beforeIt).extracting(StoredRecord::message).as("made at the same time, stored before it")
        .containsExactly("disk full writing frame 1");
    assertThat(store.errorsOfKind(oomId, null, null, hourAgo, null, Long.MAX_VALUE, 3)).as("after a record that is gone")
        .isEmpty();
  }

  @Test
  void aFloodsErrorsAreTheRecordsItRepeatsAndItsCount() {
    ErrorKind flood = lastHour(null, 20).kinds().get(0);

    List<StoredRecord> errors = store.errorsOfKind(flood.id(), null, null, NOW.minus(Duration.ofHours(1)), null, null, 20);

    assertThat(errors).extracting(StoredRecord::message).containsExactly(
        "connection to redis:6379 refused, retrying",
        "connection to redis:6379 refused, retrying",
        "connection to redis:6379 refused, retrying",
        "repeated 997 more times: connection to redis:6379 refused, retrying");
  }

  @Test
  void eachKindsErrorsInTheRangeBeforeAreCountedAndANewKindHasNone() {
    ErrorKinds recent = store.errorKinds(null, NOW.minus(Duration.ofMinutes(35)), null, 20);
    ErrorKinds ofB = store.errorKinds("gpu-b", NOW.minus(Duration.ofMinutes(35)), null, 20);
    ErrorKinds earlier = store.errorKinds(null, NOW.minus(Duration.ofMinutes(60)), NOW.minus(Duration.ofMinutes(35)), 20);

    ErrorKinds.Before beforeRecent = store.errorsBefore(recent, null, NOW);
    ErrorKinds.Before beforeB = store.errorsBefore(ofB, "gpu-b", NOW);
    ErrorKinds.Before beforeEarlier = store.errorsBefore(earlier, null, NOW);

    assertThat(beforeRecent.since()).isEqualTo(NOW.minus(Duration.ofMinutes(70)));
    assertThat(beforeRecent.until()).isEqualTo(NOW.minus(Duration.ofMinutes(35)));
    assertThat(recent.kinds()).extracting(kind -> kind.message() + ": " + kind.errors() + " after " + beforeRecent.of(kind.id()))
        .contains(
            "connection to redis:6379 refused, retrying: 1000 after 0",
            "render failed: 2 after 2",
            "decoder failed at frame 13: 2 after 0");
    assertThat(ofB.kinds()).extracting(kind -> kind.message() + ": " + beforeB.of(kind.id()))
        .as("of gpu-b's errors alone: gpu-a's before do not count").contains("render failed: 0");
    assertThat(beforeEarlier.since()).as("as long as the range, 25 minutes").isEqualTo(NOW.minus(Duration.ofMinutes(85)));
    assertThat(earlier.kinds()).extracting(kind -> kind.message() + ": " + beforeEarlier.of(kind.id()))
        .containsExactly("render failed: 0");
    assertThat(store.errorsBefore(store.errorKinds(null, NOW, null, 20), null, NOW).errors()).as("no kinds, none asked")
        .isEmpty();
  }

  /** An error as "MINUTES AGO WORKER TASK LEVEL MESSAGE". */
  private static String line(StoredRecord error) {
    return Duration.between(error.timestamp(), NOW).toMinutes() + " " + error.workerId() + " " + error.taskId() + " "
        + error.level() + " " + error.message();
  }

  /** A worker's or a task's part of a kind, as "WORKER: ERRORS, WORKERS, TASKS, FIRST-LATEST, latest TASK MESSAGE". */
  private static String part(ErrorKind kind) {
    return kind.workerId() + ": " + kind.errors() + " errors, " + kind.workers() + " worker, " + kind.tasks() + " tasks, "
        + Duration.between(kind.firstAt(), NOW).toMinutes() + "-" + Duration.between(kind.lastAt(), NOW).toMinutes()
        + " min ago, latest " + (kind.taskId() == null ? "no task" : kind.taskId()) + " " + kind.message();
  }

  /** Each kind as "ERRORS MESSAGE'S FIRST LINE (LATEST TASK)". */
  private static List<String> summaries(ErrorKinds kinds) {
    List<String> lines = new ArrayList<>();
    for (ErrorKind kind : kinds.kinds()) {
      lines.add(kind.errors() + " " + kind.message().lines().findFirst().orElse("") + " ("
          + (kind.taskId() == null ? "no task" : kind.taskId()) + ")");
    }
    return lines;
  }

  private static String oom(String gib) {
    return "Traceback (most recent call last):\\n  File \\\"worker.py\\\", line 410, in render\\n"
        + "    frames = pipeline(prompt)\\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate " + gib + " GiB\\n";
  }

  private static String record(int minutesAgo, String level, String message, String task) {
    return TestRecords.record(NOW.minus(Duration.ofMinutes(minutesAgo)), level, message, task);
  }

  private static String traced(int minutesAgo, String level, String message, String task, String exception) {
    return TestRecords.traced(NOW.minus(Duration.ofMinutes(minutesAgo)), level, message, task, exception);
  }

  private static String withMetadata(int minutesAgo, String level, String message, String task, String metadata) {
    return TestRecords.withMetadata(NOW.minus(Duration.ofMinutes(minutesAgo)), level, message, task, metadata);
  }

  private static String records(String... records) {
    return TestRecords.records(records);
  }
}
