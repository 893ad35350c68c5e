package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What PyTorch Lightning reports at info as a run starts and ends, which its logger prints on
 * stderr with the message alone: {@code GPU available: True (cuda), used: True}, {@code
 * LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]}, {@code [rank: 0] Seed set to 42}, {@code `Trainer.fit`
 * stopped: `max_epochs=3` reached.}, and the model's summary, a table ({@code   | Name  | Type
 * | Params}, its rules, a row a layer, the totals below). On stderr each line was a warning, each
 * of the table's lines too.
 *
 * <p>Here those reports are INFO (the lines after one that name no level keep the stream's),
 * {@code component} {@code lightning}, and the summary one record; the rank in front of a line
 * goes into {@code rank}. Lightning's warnings go through Python's {@code warnings} and keep
 * their level.
 *
 * <p>So is the banner rank 0 logs once every rank has joined, after {@code Initializing
 * distributed: GLOBAL_RANK: 0, MEMBER: 1/2}: a rule of 100 dashes, {@code
 * distributed_backend=nccl}, {@code All distributed processes registered. Starting with 2
 * processes}, the rule again. It is one INFO record, its message the two lines between the rules,
 * which are no records; before, the rules and the backend were three warnings. A rule is read so
 * only right after that report (any rank's) or that banner's lines, so that a worker's own rule of
 * dashes stays its own.
 *
 * <p>One for each stream: it remembers whether the last line was of the summary or the banner.
 */
final class LightningLines extends RecordsOfLines {

  private static final String COMPONENT = "lightning";

  /** How Lightning's reports at info begin (as public reports of its output show them). */
  private static final List<String> REPORTS = List.of("GPU available: ", "TPU available: ", "IPU available: ",
      "HPU available: ", "LOCAL_RANK: ", "Seed set to ", "Initializing distributed: GLOBAL_RANK: ",
      "All distributed processes registered.", "Using 16bit Automatic Mixed Precision", "Using bfloat16 Automatic Mixed Precision",
      "`Trainer.fit` stopped: ", "You are using a CUDA device (", "Restoring states from the checkpoint path at ",
      "Restored all states from the checkpoint at ", "SLURM auto-requeueing enabled.");

  /** The summary's heading: {@code   | Name  | Type     | Params | Mode}. */
  private static final Pattern SUMMARY_HEADING = Pattern.compile(" +\\| Name +\\| Type +\\| Params\\b.*");

  /** A line of the summary below its heading: a rule, a layer's row, a total. */
  private static final Pattern SUMMARY_LINE = Pattern.compile(
      "-{3,}|\\d+ +\\| .*|[\\d.,]+ *[KMGTB]? +(?:Trainable params|Non-trainable params|Total params"
          + "|Total estimated model params size \\(MB\\)|Modules in train mode|Modules in eval mode)");

  /** The report before the banner rank 0 logs once every rank has joined. */
  private static final String DISTRIBUTED_START = "Initializing distributed: GLOBAL_RANK: ";

  /** The rule above and below that banner ({@code f"{'-' * 100}\n"} in Lightning's source). */
  private static final String RULE = "-".repeat(100);

  /** Which line of the banner may come next. */
  private enum Banner { NONE, MAY_BEGIN, BACKEND, REGISTERED, CLOSING }

  private final ChildLineParser parser;
  private boolean inSummary;   // the last line was of the model's summary
  private Banner banner = Banner.NONE;

  LightningLines(ChildLineParser parser) {
    this.parser = parser;
  }

  /** A report of Lightning's or a line of its model's summary; null for any other line. */
  ChildLineParser.Parsed parse(String line, String stream) {
    continuesRecord = false;
    moreFollows = false;
    if (banner != Banner.NONE) {
      ChildLineParser.Parsed ofBanner = bannerLine(line, stream);
      if (ofBanner != null) {
        return ofBanner;
      }
    }
    if (inSummary && SUMMARY_LINE.matcher(line).matches()) {
      continuesRecord = true;
      moreFollows = true;
      return info(line, stream, null);
    }
    inSummary = false;
    if (line.isEmpty() || "GTIHLSAU`YR[ ".indexOf(line.charAt(0)) < 0) {
      return null;   // most lines: none of these begins so
    }
    if (line.charAt(0) == ' ') {
      if (!SUMMARY_HEADING.matcher(line).matches()) {
        return null;
      }
      inSummary = true;
      moreFollows = true;
      return info(line, stream, null);
    }
    String rank = null;
    String report = line;
    if (line.startsWith("[rank: ")) {   // rank_zero's prefix on a line of every rank
      int close = line.indexOf("] ");
      if (close < 8 || close > 14 || !isDigits(line, 7, close)) {
        return null;
      }
      rank = line.substring(7, close);
      report = line.substring(close + 2);
    }
    if (!isReport(report)) {
      return null;
    }
    if (report.startsWith(DISTRIBUTED_START)) {
      banner = Banner.MAY_BEGIN;   // its rule may come next, once every rank has joined
    }
    return info(report, stream, rank);
  }

  /**
   * A line of the banner, where the last line was of it or the report before it: its rules are no
   * records (an empty message, which {@link Tracebacks} passes over), the two lines between them
   * one record. Null, and the banner over, for any other line.
   */
  private ChildLineParser.Parsed bannerLine(String line, String stream) {
    Banner at = banner;
    banner = Banner.NONE;
    if (at == Banner.MAY_BEGIN && line.equals(RULE) || at == Banner.CLOSING && line.equals(RULE)) {
      banner = at == Banner.MAY_BEGIN ? Banner.BACKEND : Banner.NONE;
      return info("", stream, null);
    }
    if (at == Banner.BACKEND && line.startsWith("distributed_backend=")) {
      banner = Banner.REGISTERED;
      moreFollows = true;
      return info(line, stream, null);
    }
    if (at == Banner.REGISTERED && line.startsWith("All distributed processes registered.")) {
      banner = Banner.CLOSING;
      continuesRecord = true;
      return info(line, stream, null);
    }
    return null;
  }

  private ChildLineParser.Parsed info(String message, String stream, String rank) {
    RecordMetadata metadata = metadata(stream, COMPONENT);
    if (rank != null) {
      metadata.put("rank", Integer.parseInt(rank));
    }
    // INFO by its shape: a line after it that names no level keeps the stream's
    return new ChildLineParser.Parsed(Level.INFO, message, null, metadata, parser.endsTask(message), null,
        ChildLineParser.TaskScope.CURRENT, false, true, true);
  }

  private static boolean isReport(String line) {
    for (String report : REPORTS) {   // a loop, not a stream: it runs for some lines of every worker
      if (line.startsWith(report)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDigits(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
