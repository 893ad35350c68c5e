package dev.heartlog.cli;

import dev.heartlog.agent.Level;

/**
 * What Weights &amp; Biases' client prints on stderr in a training worker, each line after {@code
 * wandb: }: its reports at info ({@code wandb: Currently logged in as: render-bot}, {@code wandb:
 * 🚀 View run at https://wandb.ai/...}), its warnings and errors ({@code wandb: WARNING Tried to
 * log to step 817 that is less than the current step 821}, {@code wandb: ERROR Run initialization
 * has timed out after 90.0 sec.}), and, as a run ends, its history and summary, a table under a
 * heading, {@code wandb: } alone between them. On stderr each report was a warning, a run of a
 * worker a dozen or more, and each warning kept {@code wandb: WARNING} in its message.
 *
 * <p>Here a line gives its level (INFO where it names none, for it alone: a line after it that
 * names no level keeps the stream's), the message after the prefix and the level, and {@code
 * component} {@code wandb}, so that {@code --levels wandb=WARNING} quiets its reports. A heading
 * ({@code Run history:}) and the indented rows below it are one record; {@code wandb: } alone
 * says nothing and is no record. The message is passed on as the line's text. One for each
 * stream: it remembers whether the last line was a heading or a row of its table.
 */
final class WandbLines extends RecordsOfLines {

  private static final String PREFIX = "wandb:";
  private static final String COMPONENT = "wandb";

  private final ChildLineParser parser;
  private boolean inTable;   // the last line was a heading of a table, or a row of it

  WandbLines(ChildLineParser parser) {
    this.parser = parser;
  }

  /** A line of W&amp;B's client; null for any other line. */
  ChildLineParser.Parsed parse(String line, String stream) {
    continuesRecord = false;
    moreFollows = false;
    if (!line.startsWith(PREFIX) || line.length() > PREFIX.length() && line.charAt(PREFIX.length()) != ' ') {
      inTable = false;
      return null;   // most lines
    }
    String text = line.length() > PREFIX.length() ? line.substring(PREFIX.length() + 1) : "";
    if (inTable && text.startsWith(" ") && !text.isBlank()) {
      continuesRecord = true;   // a row of the table under the heading
      moreFollows = true;
      return record(Level.INFO, text, stream);
    }
    inTable = false;
    if (text.startsWith("WARNING ")) {
      return record(Level.WARNING, text.substring("WARNING ".length()), stream);
    }
    if (text.startsWith("ERROR ")) {
      return record(Level.ERROR, text.substring("ERROR ".length()), stream);
    }
    if (text.endsWith(":") && !text.isBlank()) {
      inTable = true;   // "Run history:", "Run summary:": rows follow
      moreFollows = true;
    }
    // INFO by its shape: a line after it that names no level keeps the stream's
    return new ChildLineParser.Parsed(Level.INFO, text.strip(), null, metadata(stream, COMPONENT), parser.endsTask(text),
        null, ChildLineParser.TaskScope.CURRENT, false, true, true);
  }

  private ChildLineParser.Parsed record(Level level, String message, String stream) {
    return new ChildLineParser.Parsed(level, message, null, metadata(stream, COMPONENT), parser.endsTask(message));
  }
}
