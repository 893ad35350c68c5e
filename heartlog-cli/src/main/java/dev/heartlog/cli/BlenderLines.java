package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blender's lines, as {@code blender -b scene.blend -a} prints them on stdout while it renders.
 *
 * <ul>
 *   <li>Its status, a line for each step of each frame: {@code Fra:12 Mem:10.37M (Peak 10.47M) |
 *       Time:00:00.05 | Mem:0.86M, Peak:0.86M | Scene, ViewLayer | Sample 16/16}. About 40 such
 *       lines a frame for Cycles' steps ({@code Updating Lights}, {@code Updating Scene BVH}), and
 *       one for every few samples. They are a progress display drawn one state a line ({@link
 *       TerminalLines}), one display a frame, INFO, {@code component} blender and the {@code frame}.
 *   <li>{@code Saved: '/srv/out/frame_0012.png'} and, on the line after it, {@code  Time: 00:00.17
 *       (Saving: 00:00.11)}: one record ({@link #isSaved}, {@link #isSaveTime}).
 *   <li>Its reports, a type and a colon before the message: {@code Error: Cannot read file ...},
 *       {@code Warning: ...}, {@code Info: ...}; and {@code Error: Python: Traceback (most recent
 *       call last):}, the traceback of a script it ran ({@code -P render.py}), whose further lines
 *       come without the prefix ({@link #withoutPythonReport}).
 * </ul>
 */
final class BlenderLines {

  /**
   * The status line's start: Blender 3 prints {@code Fra:%d Mem:%.2fM (Peak %.2fM) } then the
   * fields, each after {@code | }; Blender 2 a second figure before the peak, {@code (0.00M, Peak
   * 14.46M)}.
   */
  private static final Pattern STATUS =
      Pattern.compile("Fra:(?<frame>\\d{1,9}) Mem:\\d+\\.\\d\\dM \\((?:\\d+\\.\\d\\dM, )?Peak \\d+\\.\\d\\dM\\) \\| ");

  /** What Blender prints before a script's traceback, the report's type and the report's own "Python: ". */
  private static final String PYTHON_REPORT = "Error: Python: ";

  private BlenderLines() {}

  /** Which frame a status line of Blender's is of ({@code Fra:12}), or null for any other line. */
  static String frameOf(String line) {
    if (!line.startsWith("Fra:")) {
      return null;
    }
    Matcher status = STATUS.matcher(line);
    return status.lookingAt() ? line.substring(0, status.end("frame")) : null;
  }

  /** A status line of Blender's, INFO with its frame; null for any other line. */
  static ChildLineParser.Parsed status(String line, RecordMetadata metadata) {
    if (!line.startsWith("Fra:")) {
      return null;
    }
    Matcher status = STATUS.matcher(line);
    if (!status.lookingAt()) {
      return null;
    }
    metadata.put("component", "blender");
    metadata.put("frame", Long.parseLong(status.group("frame")));
    return new ChildLineParser.Parsed(Level.INFO, line, null, metadata, false);
  }

  /** Blender's line for a frame it wrote: {@code Saved: '/srv/out/frame_0012.png'}. */
  static boolean isSaved(String line) {
    return line.startsWith("Saved: '") && line.endsWith("'");
  }

  /** The line Blender prints after {@link #isSaved}: {@code  Time: 00:00.17 (Saving: 00:00.11)}. */
  static boolean isSaveTime(String line) {
    return line.startsWith(" Time: ") && line.endsWith(")") && line.contains(" (Saving: ");
  }

  /**
   * What one stream's Blender lines carry to the lines after them: the frame the last status line
   * was of, which the frame's {@code Saved: '...'} line is given, and whether the last line was
   * such a Saved line, whose {@code  Time: ...} line may follow. Not thread-safe: one stream's.
   */
  static final class Frames {
    private Long frame;
    private boolean lastSaved;

    /** Whether the line before this one was a Saved line; the next call says no until {@link #read} says yes. */
    boolean takeSaved() {
      boolean saved = lastSaved;
      lastSaved = false;
      return saved;
    }

    /**
     * A line read in no tool's form but its own ({@link ChildLineParser}): a status line's frame is
     * kept, a Saved line gets it in {@code metadata}. Returns whether the line was a Saved line.
     */
    boolean read(String text, Map<String, Object> metadata) {
      if (metadata.get("frame") instanceof Long statusFrame && "blender".equals(metadata.get("component"))) {
        frame = statusFrame;
      }
      lastSaved = isSaved(text);
      if (lastSaved && frame != null) {
        metadata.put("component", "blender");
        metadata.put("frame", frame);   // the frame it wrote
      }
      return lastSaved;
    }
  }

  /**
   * A line as the traceback reader should see it: Blender's {@code Error: Python: Traceback (most
   * recent call last):} without its prefix, which the lines after it lack, so that the traceback is
   * read as one (an ERROR, the exception the worker's exit is told with); so too a script's syntax
   * error, {@code Error: Python:   File "/srv/render.py", line 2}; any other line as it is.
   */
  static String withoutPythonReport(String line) {
    if (!line.startsWith(PYTHON_REPORT)) {
      return line;
    }
    String report = line.substring(PYTHON_REPORT.length());
    return report.equals(PythonTracebackLines.PYTHON_START) || PythonTracebackLines.isSyntaxErrorLocation(report)
        ? report : line;
  }
}
