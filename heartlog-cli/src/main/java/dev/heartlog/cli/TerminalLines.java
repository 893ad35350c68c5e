package dev.heartlog.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Splits what a wrapped worker prints into the lines a terminal shows. A line ends at {@code \n}
 * (or {@code \r\n}). A carriage return alone redraws the line: that is how tqdm's bars and
 * ffmpeg's counters show progress, hundreds of times a task. Such a progress display is passed
 * on at its first redraw, then at most once per interval while it redraws (its latest state),
 * and in the state it ends in: a few records a task instead of one per redraw. So is a display
 * drawn one state a line: wget's dots in a pipe, one line for each 50 KiB it downloads, and
 * Blender's status, about 40 lines for each frame it renders ({@link BlenderLines}), a display
 * for each frame. A display drawn one state a line gives its first state at once. A line longer than
 * {@code maxChars} keeps its first {@code maxChars} characters and says how many it lost, so that
 * a process printing without end cannot fill the memory of its sidecar.
 *
 * <p>What a worker prints comes as bytes ({@link #accept(byte[], int, int)}), read as UTF-8: a
 * character split between two reads is put together, and bytes that are not UTF-8 become U+FFFD
 * in the line (the terminal still gets them as printed; that is the caller's echo).
 *
 * <p>Not thread-safe: one instance reads one stream.
 */
final class TerminalLines {

  /**
   * Where the lines go. {@code progress}: the line was redrawn with carriage returns. {@code
   * crlf}: it ended with {@code \r\n}, as vLLM ends each line of a record but its last. {@code
   * heldNanos}: how long ago the line was printed, a progress display's state held until its
   * display ended (Blender's last state of a frame, passed on when the line after it came, once
   * the frame was saved); 0 for a line passed on as it was read.
   */
  interface Sink {
    void line(String text, boolean progress, boolean crlf, long heldNanos);
  }

  /**
   * A line of wget's progress in a pipe, where it draws each state on a line of its own:
   * {@code   2850K .......... .......... .......... .......... .......... 98%  252M 0s}, a dot
   * for each KiB. Each was a warning on stderr: about 147,000 for a model of 7 GiB.
   */
  private static final Pattern STATE_LINE = Pattern.compile(" *\\d{1,12}[KMGT] +\\.{1,16}(?: +\\.{1,16})*(?: |$)");

  private final Sink sink;
  private final LongSupplier nanoClock;
  private final long progressIntervalNanos;
  private final int maxChars;

  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer splitCharacter = ByteBuffer.allocate(8);   // the start of a character the last read cut
  private final CharBuffer decoded = CharBuffer.allocate(8192);

  private final StringBuilder current = new StringBuilder();
  private long lost;                  // characters of the current segment beyond maxChars
  private boolean carriageReturn;     // the last character was '\r': a redraw, unless '\n' follows
  private boolean redrawn;            // the current line has been redrawn
  private String unsentProgress;      // the latest redraw not passed on yet
  private long unsentProgressAt;      // when it was printed
  private long progressSentAt;
  private boolean progressSent;
  private String stateDisplay;        // the display drawn one state a line that the last line was of, or null

  TerminalLines(Sink sink, LongSupplier nanoClock, long progressIntervalNanos, int maxChars) {
    this.sink = sink;
    this.nanoClock = nanoClock;
    this.progressIntervalNanos = progressIntervalNanos;
    this.maxChars = maxChars;
  }

  /** Bytes as the worker printed them. */
  void accept(byte[] bytes, int offset, int length) {
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    if (splitCharacter.position() > 0) {
      // Complete the character the last read cut (at most 3 bytes more), then go on in place.
      while (in.hasRemaining() && splitCharacter.hasRemaining()) {
        splitCharacter.put(in.get());
        splitCharacter.flip();
        decode(splitCharacter, false);
        splitCharacter.compact();
        if (splitCharacter.position() == 0) {
          break;
        }
      }
    }
    decode(in, false);
    splitCharacter.put(in);   // an incomplete character at the end: fewer than 4 bytes
  }

  private void decode(ByteBuffer in, boolean endOfInput) {
    while (utf8.decode(in, decoded, endOfInput).isOverflow()) {
      passDecoded();
    }
    passDecoded();
  }

  private void passDecoded() {
    decoded.flip();
    accept(decoded.array(), 0, decoded.limit());
    decoded.clear();
  }

  void accept(char[] chars, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      if (carriageReturn) {
        carriageReturn = false;
        if (chars[i] == '\n') {
          endLine(takeSegment(), true);
          i++;
          continue;
        }
        redraw();
      }
      // The text up to the next line end or carriage return, appended at once.
      int stop = i;
      while (stop < end && chars[stop] != '\n' && chars[stop] != '\r') {
        stop++;
      }
      if (stop < end && chars[stop] == '\n' && current.length() == 0 && stop - i <= maxChars) {
        endLine(new String(chars, i, stop - i), false);   // a whole line in this chunk: one copy, not two
        i = stop + 1;
        continue;
      }
      append(chars, i, stop - i);
      if (stop == end) {
        return;
      }
      if (chars[stop] == '\r') {
        carriageReturn = true;
      } else {
        endLine();
      }
      i = stop + 1;
    }
  }

  private void append(char[] chars, int offset, int length) {
    int room = maxChars - current.length();
    if (length <= room) {
      current.append(chars, offset, length);
    } else {
      current.append(chars, offset, room);
      lost += length - room;
    }
  }

  /** Whether a line has begun and not ended: the worker's next write may end it. */
  boolean midLine() {
    return current.length() > 0 || lost > 0 || splitCharacter.position() > 0;
  }

  /** The stream ended: what it printed last, if it ended without a line end. */
  void end() {
    splitCharacter.flip();
    decode(splitCharacter, true);   // a character the stream cut short becomes U+FFFD
    splitCharacter.clear();
    if (carriageReturn) {
      carriageReturn = false;
      redraw();
    }
    if (current.length() > 0 || lost > 0 || redrawn) {
      endLine();
    }
    endStateLines();
  }

  private void redraw() {
    String segment = takeSegment();
    if (segment.isEmpty()) {
      return;   // a carriage return at the start of a line, as tqdm writes one before each state
    }
    redrawn = true;
    show(segment);
  }

  /** A state of a progress display: passed on at once, or held until the interval is up. */
  private void show(String segment) {
    long now = nanoClock.getAsLong();
    if (!progressSent || now - progressSentAt >= progressIntervalNanos) {
      sink.line(segment, true, false, 0);
      progressSent = true;
      progressSentAt = now;
      unsentProgress = null;
    } else {
      unsentProgress = segment;
      unsentProgressAt = now;
    }
  }

  private void endLine() {
    endLine(takeSegment(), false);
  }

  private void endLine(String text, boolean crlf) {
    String display = redrawn ? null : stateDisplay(text);
    if (display != null) {
      if (!display.equals(stateDisplay)) {
        endStateLines();          // the display before it (Blender's last frame) ends in its last state
        stateDisplay = display;
        progressSent = false;     // and this one's first state is passed on at once
      }
      show(text);
      return;
    }
    endStateLines();
    if (redrawn) {
      // The state the display ends in: what the line now holds, or, for a display that ended
      // with a carriage return, the last state drawn, unless that was passed on already.
      if (!text.isEmpty()) {
        sink.line(text, true, crlf, 0);
      } else if (unsentProgress != null) {
        sink.line(unsentProgress, true, crlf, heldFor());
      }
    } else {
      sink.line(text, false, crlf, 0);
    }
    unsentProgress = null;
    redrawn = false;
  }

  /** A display drawn one state a line has ended: the state it ended in, unless passed on already. */
  private void endStateLines() {
    if (stateDisplay != null) {
      stateDisplay = null;
      if (unsentProgress != null) {
        sink.line(unsentProgress, true, false, heldFor());
        unsentProgress = null;
      }
    }
  }

  /** How long ago the state held unsent was printed. */
  private long heldFor() {
    return Math.max(0, nanoClock.getAsLong() - unsentProgressAt);
  }

  /**
   * Which display drawn one state a line a line is of: wget's dots ({@code ""}), the frame of
   * Blender's status ({@code "Fra:12"}); null for a line of no such display.
   */
  private static String stateDisplay(String text) {
    if (text.length() > 12 && (text.charAt(0) == ' ' || Character.isDigit(text.charAt(0)))
        && STATE_LINE.matcher(text).lookingAt()) {
      return "";
    }
    return BlenderLines.frameOf(text);
  }

  private String takeSegment() {
    String text = lost == 0 ? current.toString() : current + " … [heartlog run truncated " + lost + " characters]";
    current.setLength(0);
    lost = 0;
    return text;
  }
}
