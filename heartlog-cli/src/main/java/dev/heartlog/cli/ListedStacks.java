package dev.heartlog.cli;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * An exception a structured logger wrote as a JSON array rather than as text, written out as the
 * text its language prints, so that the record's exception reads as one and the store names it
 * by its exception, where it was Java's text of a list ({@code [{func=render, line=20, ...}]}) and
 * named so:
 *
 * <ul>
 *   <li>structlog's {@code dict_tracebacks}: the exceptions of a chain, the one raised first in
 *       the list, each with its {@code exc_type}, {@code exc_value} and {@code frames} ({@code
 *       filename}, {@code lineno}, {@code name}, and the {@code locals} structlog captures unless
 *       told not to); as Python prints the chain, the cause first, and a frame's locals below it
 *       as its {@code traceback} module does ({@code name = value}, a line each).
 *   <li>zerolog's with pkg/errors' stack ({@code ErrorStackMarshaler = pkgerrors.MarshalStack}):
 *       frames of {@code func}, {@code source} and {@code line}, the error's text in the line's
 *       {@code error}; that text (else the line's message) above a frame a line.
 *   <li>Lines of text ({@code traceback.format_exception}'s list): one below the other.
 * </ul>
 *
 * Any other array as its elements' text, one a line.
 */
final class ListedStacks {

  private static final String CAUSE = "The above exception was the direct cause of the following exception:";
  private static final String CONTEXT = "During handling of the above exception, another exception occurred:";

  private ListedStacks() {}

  /** The text of {@code stack}; {@code error}, the line's error text (zerolog's) or else its message. */
  static String text(List<?> stack, String error) {
    if (!stack.isEmpty() && stack.stream().allMatch(ListedStacks::isPythonException)) {
      return pythonChain(stack);
    }
    if (!stack.isEmpty() && stack.stream().allMatch(frame -> frame instanceof Map<?, ?> map && map.containsKey("func"))) {
      return goFrames(stack, error);
    }
    StringJoiner lines = new StringJoiner("\n");
    stack.forEach(element -> lines.add(String.valueOf(element).stripTrailing()));
    return lines.toString();
  }

  private static boolean isPythonException(Object element) {
    return element instanceof Map<?, ?> map && map.get("exc_type") instanceof String && map.get("frames") instanceof List;
  }

  private static String pythonChain(List<?> raisedFirst) {
    StringBuilder text = new StringBuilder();
    for (int i = raisedFirst.size() - 1; i >= 0; i--) {
      Map<?, ?> exception = (Map<?, ?>) raisedFirst.get(i);
      text.append("Traceback (most recent call last):\n");
      for (Object frame : (List<?>) exception.get("frames")) {
        if (frame instanceof Map<?, ?> at && at.get("filename") instanceof String file && !file.isEmpty()) {
          text.append("  File \"").append(file).append("\", line ").append(at.get("lineno"))
              .append(", in ").append(at.get("name")).append('\n');
          if (at.get("line") instanceof String source && !source.isBlank()) {
            text.append("    ").append(source.strip()).append('\n');   // structlog 22's, empty where it read none
          }
          if (at.get("locals") instanceof Map<?, ?> locals) {
            // As Python prints a frame's locals (traceback's capture_locals); structlog captures them by default.
            locals.forEach((name, local) -> text.append("    ").append(name).append(" = ").append(local).append('\n'));
          }
        } else if (frame instanceof Map<?, ?> skipped) {
          text.append("  [").append(skipped.get("name")).append("]\n");   // structlog's "Skipped frames: N"
        }
      }
      Object value = exception.get("exc_value");
      text.append(exception.get("exc_type"));
      if (value instanceof String message && !message.isEmpty()) {
        text.append(": ").append(message);
      }
      if (exception.get("exc_notes") instanceof List<?> notes) {
        notes.forEach(note -> text.append('\n').append(note));   // add_note()'s, below it as Python prints them
      }
      if (i > 0) {
        text.append("\n\n").append(Boolean.TRUE.equals(exception.get("is_cause")) ? CAUSE : CONTEXT).append("\n\n");
      }
    }
    return text.toString();
  }

  private static String goFrames(List<?> frames, String error) {
    StringBuilder text = new StringBuilder(error);
    for (Object element : frames) {
      Map<?, ?> frame = (Map<?, ?>) element;
      text.append("\n    at ").append(frame.get("func")).append(" (").append(frame.get("source")).append(':')
          .append(frame.get("line")).append(')');
    }
    return text.toString();
  }
}
