package dev.heartlog.store;

import static dev.heartlog.store.TestRecords.records;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Python exception group's traceback (3.11+; asyncio's TaskGroup raises one around every
 * task's failure) is named by the first exception in it that is no group, as Python printed it
 * ({@code resources/python/exception-groups.json}, written by {@code exception-groups.py} beside
 * it): so the task list says why a TaskGroup's task failed, and one fault is one kind of error
 * whether a group wrapped it or not. Before, such a trace named no exception at all.
 */
class ExceptionGroupTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private static Map<String, String> tracebacks;

  private static Store store;

  @BeforeAll
  static void fill() throws IOException {
    tracebacks = pythonTracebacks();
    store = TestDatabase.freshStore();
    store.withConnection(c -> {
      TestDatabase.heartbeat(c, "py-async", records(
          traced(9, "render failed", "t-group", tracebacks.get("task_group")),
          TestRecords.record(NOW.minus(Duration.ofMinutes(8)), "ERROR", "Task failed", "t-group"),
          // The same fault, raised where no group wrapped it.
          traced(7, "render failed", "t-plain", "Traceback (most recent call last):\n"
              + "  File \"/srv/worker.py\", line 22, in render\n    raise ValueError(f\"bad frame {frame}\")\n"
              + "ValueError: bad frame 7\n")));
      return null;
    });
  }

  @Test
  void eachGroupIsNamedByTheFirstExceptionInItThatIsNoGroup() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("task_group", "ValueError: bad frame 2");
    // A chain inside the group's exception: the one raised last, as for any traceback.
    expected.put("task_group_chained", "RuntimeError: frame 3 not written");
    // The first is a group itself: its first exception.
    expected.put("nested", "KeyError: 'cuda:1'");
    expected.put("group_from_cause", "RuntimeError: frame 3 not written");
    // A chain of two groups: the last one's; of a group and then an exception: the exception.
    expected.put("group_after_group", "LookupError: frame 9 missing");
    expected.put("error_after_group", "RuntimeError: render gave up");
    // A group raised and then wrapped: its traceback's heading is passed over.
    expected.put("group_of_raised_group", "ValueError: bad model");
    expected.put("message_of_two_lines", "ValueError: bad frame 4");
    // Python prints no exception deeper than ten groups: the outermost group's line.
    expected.put("deeper_than_printed", "ExceptionGroup: level 11 (1 sub-exception)");

    Map<String, String> named = new LinkedHashMap<>();
    expected.keySet().forEach(name -> named.put(name, exceptionName(tracebacks.get(name))));

    assertThat(named).isEqualTo(expected);
  }

  @Test
  void aThreadsGroupIsReadBelowTheLineThatSaysWhoseItIs() {
    assertThat(exceptionName("Exception in thread Thread-1 (work):\n" + tracebacks.get("task_group")))
        .isEqualTo("ValueError: bad frame 2");
  }

  @Test
  void aChainInsideTheGroupIsReadWithItsBlankLinesTrimmed() {
    String trimmed = tracebacks.get("task_group_chained").replaceAll("[ \t]+\n", "\n");

    assertThat(trimmed).contains("    |\n    | The above exception");
    assertThat(exceptionName(trimmed)).isEqualTo("RuntimeError: frame 3 not written");
  }

  /** A box at the end of a message (a table it prints) is no group's. */
  @Test
  void aTracebackEndingInABoxThatIsNoGroupIsNamedAsAnyOther() {
    assertThat(exceptionName("Traceback (most recent call last):\n  File \"/srv/worker.py\", line 9, in check\n"
        + "ValueError: frames missing:\n  | 12 | 13 |\n  +------------------------------------\n"))
        .isEqualTo("ValueError: frames missing:");
  }

  @Test
  void aGroupCutShortNamesNoneAsAnyTracebackCutShort() {
    String group = tracebacks.get("task_group");
    String cut = group.substring(0, group.indexOf("    | ValueError"));

    assertThat(exceptionName(cut)).isNull();
    assertThat(exceptionName(group.replace("ExceptionGroup: unhandled", "  ExceptionGroup: unhandled")))
        .as("an exception line indented is no exception line").isEqualTo("ValueError: bad frame 2");
  }

  @Test
  void aTaskGroupsTaskIsListedWithTheExceptionItFailedOf() {
    RecentTask listed = store.tasks(new TaskFilter(null, NOW.minus(Duration.ofHours(1)), null, false, 10)).stream()
        .filter(t -> t.id().equals("t-group")).findFirst().orElseThrow();
    List<TaskSummary> recent = store.worker("py-async", 10, 10).orElseThrow().recentTasks();

    assertThat(listed.failure()).isEqualTo("Task failed");
    assertThat(listed.failureException()).as("the task list").isEqualTo("ValueError: bad frame 2");
    assertThat(recent).filteredOn(t -> t.id().equals("t-group")).singleElement()
        .satisfies(t -> assertThat(t.failureException()).as("the worker's page").isEqualTo("ValueError: bad frame 2"));
  }

  @Test
  void aFaultIsOneKindOfErrorWhetherAGroupWrappedItOrNot() {
    List<ErrorKind> kinds = store.errorKinds("py-async", NOW.minus(Duration.ofHours(1)), null, 10).kinds();

    assertThat(kinds).extracting(ErrorKind::message, ErrorKind::errors)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("render failed", 2L),
            org.assertj.core.groups.Tuple.tuple("Task failed", 1L));
    assertThat(kinds).filteredOn(k -> k.message().equals("render failed")).singleElement()
        .satisfies(k -> assertThat(k.tasks()).isEqualTo(2));
  }

  private static String exceptionName(String exception) {
    return store.withConnection(c -> {
      try (PreparedStatement statement = c.prepareStatement("SELECT heartlog_exception_name(?)")) {
        statement.setString(1, exception);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    });
  }

  private static String traced(int minutesAgo, String message, String task, String exception) {
    String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(exception));
    return TestRecords.traced(NOW.minus(Duration.ofMinutes(minutesAgo)), "ERROR", message, task, escaped);
  }

  /** The tracebacks of exception-groups.json, by name. */
  private static Map<String, String> pythonTracebacks() throws IOException {
    Map<String, String> read = new LinkedHashMap<>();
    try (InputStream in = ExceptionGroupTest.class.getResourceAsStream("/python/exception-groups.json");
         JsonParser parser = new JsonFactory().createParser(in)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.getCurrentName();
        parser.nextToken();
        read.put(name, parser.getText());
      }
    }
    return read;
  }
}
