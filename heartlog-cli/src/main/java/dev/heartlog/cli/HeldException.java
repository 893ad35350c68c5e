package dev.heartlog.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A line that may begin a stack trace ({@code org.postgresql.util.PSQLException: ...}, {@code
 * Exception ignored in: ...}), held by {@link Tracebacks} with the lines of its message after it
 * until a line shows what they are: the frames of its stack trace, a traceback it heads, or
 * records of their own.
 */
final class HeldException {

  private final Tracebacks.Line line;
  private final String text;
  private final List<Tracebacks.Line> messageLines = new ArrayList<>();
  private final List<String> messageTexts = new ArrayList<>();

  HeldException(Tracebacks.Line line, String text) {
    this.line = line;
    this.text = text;
  }

  Tracebacks.Line line() {
    return line;
  }

  /** The line as it was printed. */
  String text() {
    return text;
  }

  /** How many lines of its message have come after it. */
  int messageLineCount() {
    return messageLines.size();
  }

  /** Whether the last line after it is blank: what comes between chained exceptions and before anyhow's causes. */
  boolean endsWithBlankLine() {
    return !messageTexts.isEmpty() && messageTexts.get(messageTexts.size() - 1).isBlank();
  }

  void addMessageLine(Tracebacks.Line messageLine, String messageText) {
    messageLines.add(messageLine);
    messageTexts.add(messageText);
  }

  /** Adds its lines, as printed, to the traceback it begins. */
  void addTo(OpenTraceback traceback) {
    traceback.add(text);
    messageTexts.forEach(traceback::add);
  }

  /** Records it and its message's lines each as a record of its own, the blank ones aside. */
  void recordTo(Tracebacks.Sink sink) {
    sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
    for (Tracebacks.Line message : messageLines) {
      if (message.message().isBlank()) {
        continue;   // held in case a chained exception followed
      }
      sink.record(message.at(), message.level(), message.message(), message.task(), message.metadata());
    }
  }
}
