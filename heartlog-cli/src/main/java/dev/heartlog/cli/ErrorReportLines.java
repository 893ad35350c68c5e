package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;

/**
 * An error report whose lines begin with {@code *** }, as Stable Diffusion web UI (AUTOMATIC1111,
 * and Forge, built on it) prints every error on stderr ({@code modules/errors.py}'s {@code
 * report}): the message a line each, the traceback below it indented by four spaces, then {@code
 * ---}:
 *
 * <pre>
 * *** Error completing request
 * *** Arguments: ('task(5mzr8qyklbjb8ax)', 'a cat', ...) {}
 *     Traceback (most recent call last):
 *       File "/app/modules/call_queue.py", line 57, in f
 *     torch.cuda.OutOfMemoryError: CUDA out of memory. ...
 *
 * ---
 * </pre>
 *
 * One ERROR record, its message the {@code ***} lines without it, the traceback its exception.
 * Before, each {@code ***} line was a warning of its own, the traceback stayed indented in the
 * second's message, and a render that ran out of GPU memory made no error. A report begins with
 * {@code *** Error} (glibc's {@code *** Error in `./render': double free or corruption} too, an
 * error alike). The lines of the traceback are passed on without their indent, so that {@link
 * Tracebacks} reads it as it reads any, its first as more of the report's record: the traceback
 * is the report's however late it comes. One for each stream: it remembers where in a report the
 * last line was.
 */
final class ErrorReportLines extends RecordsOfLines {

  private static final String MARK = "*** ";
  private static final String INDENT = "    ";

  private enum Part { NONE, MESSAGE, TRACEBACK }

  private Part part = Part.NONE;

  /** A line of such a report; null for any other line. */
  ChildLineParser.Parsed parse(String line, String stream) {
    continuesRecord = false;
    moreFollows = false;
    switch (part) {
      case NONE -> {
        if (!line.startsWith("*** Error")) {
          return null;   // most lines
        }
        part = Part.MESSAGE;
        moreFollows = true;
        return record(line.substring(MARK.length()), stream);
      }
      case MESSAGE -> {
        if (line.startsWith(MARK)) {
          continuesRecord = true;
          moreFollows = true;
          return record(line.substring(MARK.length()), stream);
        }
        if (line.startsWith(INDENT)) {
          part = Part.TRACEBACK;   // the traceback, the record's exception once Tracebacks reads it
          continuesRecord = true;  // the report's, however long Python took to format it
          return record(line.substring(INDENT.length()), stream);
        }
      }
      case TRACEBACK -> {
        if (line.startsWith(INDENT)) {
          return record(line.substring(INDENT.length()), stream);
        }
        if (line.isBlank()) {
          return record("", stream);
        }
        if (line.equals("---")) {
          part = Part.NONE;
          return record("", stream);   // the report's end, no line of it
        }
      }
    }
    part = Part.NONE;
    return null;
  }

  private static ChildLineParser.Parsed record(String message, String stream) {
    RecordMetadata metadata = new RecordMetadata(1);
    metadata.put("stream", stream);
    return new ChildLineParser.Parsed(Level.ERROR, message, null, metadata, false);
  }
}
