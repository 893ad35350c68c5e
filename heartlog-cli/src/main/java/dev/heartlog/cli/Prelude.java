package dev.heartlog.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines a runtime prints before the report they belong to, held by {@link Tracebacks} until
 * a line shows whether the report follows: Node.js's place, source line and caret above an
 * uncaught error, the {@code #} that opens HotSpot's crash report, the time above its thread
 * dump, the rule above {@code socketserver}'s report of a failed request, ggml's abort above its
 * stack ({@link GgmlLines}). Where none follows, they are records of their own.
 */
final class Prelude {

  /** Most lines of Node.js's before its error: the place, the source, the caret, blank lines. */
  private static final int MAX_NODE_LINES = 6;

  private final List<Tracebacks.Line> lines = new ArrayList<>();
  private final List<String> texts = new ArrayList<>();

  Prelude(Tracebacks.Line first, String text) {
    add(first, text);
  }

  Tracebacks.Line first() {
    return lines.get(0);
  }

  /** Its first line as printed. */
  String firstText() {
    return texts.get(0);
  }

  int size() {
    return lines.size();
  }

  /** The line {@code index} as printed. */
  String text(int index) {
    return texts.get(index);
  }

  void add(Tracebacks.Line line, String text) {
    lines.add(line);
    texts.add(text);
  }

  /**
   * Whether the line may come after Node.js's first line of an uncaught error ({@code
   * /app/render.js:12}): the line of source, the caret under it, blank lines. A file that ends
   * too soon (a brace not closed) has a blank line for its source and none for the caret.
   */
  boolean continuesNodeError(String text) {
    return switch (lines.size()) {
      case 1 -> true;
      case 2 -> NodeErrorLines.isCaret(text) || text.isBlank() && texts.get(1).isBlank();
      default -> text.isBlank() && lines.size() < MAX_NODE_LINES;
    };
  }

  /** Adds its lines, as printed, to the report they begin. */
  void addTo(OpenTraceback traceback) {
    texts.forEach(traceback::add);
  }

  /** Records its lines each as a record of its own, the blank ones aside. */
  void recordTo(Tracebacks.Sink sink) {
    for (int i = 0; i < lines.size(); i++) {
      Tracebacks.Line line = lines.get(i);
      if (!texts.get(i).isBlank()) {
        sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
      }
    }
  }
}
