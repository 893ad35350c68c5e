package dev.heartlog.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Temporal's Python SDK appends to each message of its activity and workflow loggers
 * ({@code activity.logger}, {@code workflow.logger}): the running activity's or workflow's
 * details as a Python dict, {@code Rendering frame 7 ({'activity_id': '1', 'activity_type':
 * 'render', 'attempt': 2, 'namespace': 'default', 'task_queue': 'gpu', 'workflow_id':
 * 'render-42', 'workflow_run_id': '0192...', 'workflow_type': 'RenderVideo'})}, in whatever format
 * the worker gave logging. The workflow is the task: its id is the line's task, the details go
 * into the metadata, and the message is the worker's own. A Temporal worker runs many activities
 * at once, and nothing says when one starts or ends: the line is its workflow's alone, and makes
 * no task current ({@link ChildLineParser.TaskScope#LINE}).
 */
final class TemporalDetails {

  /** One {@code 'key': value} of the dict: a text in either quotes, an integer, None, True or False. */
  private static final Pattern DETAIL = Pattern.compile(
      "'(?<key>[a-z_]{1,40})': (?:'(?<single>(?:[^'\\\\]|\\\\.)*)'|\"(?<double>(?:[^\"\\\\]|\\\\.)*)\""
          + "|(?<number>-?\\d{1,18})|None|True|False)");

  private TemporalDetails() {}

  /**
   * The line without the details at the end of its message, its workflow's id (or, for an activity
   * started by no workflow, the activity's) its task and the details its metadata; the line as it
   * was where its message ends in no such details.
   */
  static ChildLineParser.Parsed withDetails(ChildLineParser.Parsed line) {
    String message = line.message();
    if (message == null || !message.endsWith("})")
        || !message.contains("'workflow_id': ") && !message.contains("'activity_id': ")) {
      return line;
    }
    int open = message.lastIndexOf(" ({'");
    Map<String, Object> details = open < 0 ? null : details(message.substring(open + 3, message.length() - 2));
    if (details == null) {
      return line;
    }
    Object workflow = details.get("workflow_id");
    Object task = workflow != null ? workflow : details.get("activity_id");
    if (task == null) {
      return line;
    }
    details.forEach(line.metadata()::putIfAbsent);
    return new ChildLineParser.Parsed(line.level(), message.substring(0, open), line.task() != null ? line.task() : task.toString(),
        line.metadata(), line.endsTask(), line.time(), ChildLineParser.TaskScope.LINE, line.plain(), line.ownLevel(),
        line.levelByShape());
  }

  /** The dict's entries, None left out; null where the text is not such a dict's inside whole. */
  private static Map<String, Object> details(String text) {
    Map<String, Object> details = new LinkedHashMap<>();
    Matcher detail = DETAIL.matcher(text);
    int at = 0;
    while (true) {
      if (!detail.region(at, text.length()).lookingAt()) {
        return null;
      }
      String quoted = detail.group("single") != null ? detail.group("single") : detail.group("double");
      if (quoted != null) {
        details.put(detail.group("key"), unescaped(quoted));
      } else if (detail.group("number") != null) {
        details.put(detail.group("key"), Long.parseLong(detail.group("number")));
      } else if (!detail.group().endsWith("None")) {
        details.put(detail.group("key"), detail.group().endsWith("True"));
      }
      at = detail.end();
      if (at == text.length()) {
        return details;
      }
      if (!text.startsWith(", ", at)) {
        return null;
      }
      at += 2;
    }
  }

  /** A Python string's text without the backslashes of its quotes and backslashes; other escapes as written. */
  private static String unescaped(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder plain = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && "\\'\"".indexOf(text.charAt(i + 1)) >= 0) {
        c = text.charAt(++i);
      }
      plain.append(c);
    }
    return plain.toString();
  }
}
