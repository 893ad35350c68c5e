package dev.heartlog.cli;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.RecordVolume;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.TaskFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "volume",
    description = "Says how much the records of a time range (the last hour, or the hour before --until, unless told) "
        + "take, by worker, component, level or task, the most records first: which worker, or which logger, fills "
        + "the store; and what all of the store's records take.",
    mixinStandardHelpOptions = true)
final class VolumeCommand implements Callable<Integer> {

  /** A row after its first column, whose width is the widest name's. */
  private static final String ROW = "s  %10s %6s  %10s %6s";
  /** The row with --compare: the records before, after the records. */
  private static final String ROW_COMPARED = "s  %10s %6s  %10s  %10s %6s";

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Records made at or after TIME: an age (30s, 15m, 2h, 1d, 1h30m), a timestamp, a time of day "
          + "(22:00, UTC) or today or yesterday (default: an hour before --until, else the last hour).")
  Instant since;

  @Option(names = "--until", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Records made before TIME (same forms as --since).")
  Instant until;

  @Option(names = "--worker", paramLabel = "ID", description = "Only this worker's records.")
  String worker;

  @Option(names = "--by", paramLabel = "PART", defaultValue = "worker",
      description = "Group the records by worker, component (else logger), level or task (default ${DEFAULT-VALUE}).")
  String by;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "" + RecordVolume.DEFAULT_LIMIT,
      description = "Parts to show, of the most records (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--compare",
      description = "Also count each part's records in the range before, as long (the hour before the last): BEFORE, "
          + "'new' for a part with records in the range only.")
  boolean compare;

  @Option(names = "--json", description = "One JSON object, with the counts in all.")
  boolean json;

  @Override
  public Integer call() {
    BlankValues.refuseWorker(spec, "--worker", worker);
    LimitOption.positive(spec, limit);
    RecordVolume.By part;
    Instant from = TaskFilter.sinceOrDefault(since, until, Instant.now());
    try {
      part = RecordVolume.By.named(by);
      LogFilter.checkRange(from, until);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    RecordVolume volume;
    RecordVolume.Before before = null;
    Instant now = Instant.now();
    try (StoreOptions.Opened opened = storeOptions.open()) {
      volume = opened.store().volume(part, worker, from, until, limit);
      if (compare) {
        before = opened.store().volumeBefore(volume, worker, now);
      }
      if (volume.records() == 0 && !json) {
        UnknownWorker.noteIfUnknown(opened.store(), worker, spec.commandLine().getErr());
      }
      SkewedClocks.note(opened.store(), worker, spec.commandLine().getErr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(StoreJson.volume(volume, before));
      return 0;
    }
    String range = (worker == null ? "" : " of worker " + RecordText.printable(worker)) + " since "
        + RecordText.second(from) + (until == null ? "" : " before " + RecordText.second(until));
    if (volume.records() == 0) {
      out.println("No records" + range + ".");
    } else {
      int width = part.label().length();
      for (RecordVolume.Part each : volume.parts()) {
        width = Math.max(width, name(each).length());
      }
      String row = "%-" + width + (before == null ? ROW : ROW_COMPARED);
      out.println(String.format(row, cells(before, part.label().toUpperCase(Locale.ROOT), "RECORDS", "%", "BEFORE", "BYTES", "%")));
      boolean unnamed = false;
      for (RecordVolume.Part each : volume.parts()) {
        unnamed |= each.name() == null;
        String then = before == null ? null : before.of(each) == 0 ? "new" : String.format(Locale.ROOT, "%,d", before.of(each));
        out.println(String.format(row, cells(before, name(each),
            String.format(Locale.ROOT, "%,d", each.records()), share(each.records(), volume.records()), then,
            RecordText.bytes(each.bytes()), share(each.bytes(), volume.bytes()))));
      }
      out.println();
      String noun = part.label();
      out.println(String.format(Locale.ROOT, "%,d records", volume.records()) + range + ", "
          + RecordText.bytes(volume.bytes()) + " of messages and metadata as stored; "
          + (volume.parts().size() < volume.partCount()
              ? volume.parts().size() + " of " + RecordText.count(volume.partCount(), noun) + " shown, the most records (--limit)"
              : RecordText.count(volume.partCount(), noun))
          + (unnamed ? "; - is the records " + (part == RecordVolume.By.TASK ? "outside a task" : "without a " + noun) : "")
          + ".");
      if (before != null) {
        RecordVolume.Before then = before;
        long fresh = volume.parts().stream().filter(each -> then.of(each) == 0).count();
        out.println("BEFORE: each " + noun + "'s records in the range before, as long: since " + RecordText.second(before.since())
            + " before " + RecordText.second(before.until()) + ", " + String.format(Locale.ROOT, "%,d records", before.records())
            + ", " + RecordText.bytes(before.bytes()) + growth(volume.records(), before.records()) + "; new: none then ("
            + fresh + " of the " + RecordText.count(volume.parts().size(), noun) + " listed).");
      }
      volume.parts().stream().map(RecordVolume.Part::name).filter(Objects::nonNull).findFirst()
          .filter(name -> part == RecordVolume.By.COMPONENT)
          .ifPresent(name -> out.println("A component's workers keep fewer of its records with levels per component: "
              + "HEARTLOG_LEVELS=" + RecordText.printable(RecordText.shellWord(name + "=WARNING"))
              + " (--levels on heartlog run)."));
    }
    out.println("The store's records take " + RecordText.bytes(volume.storeBytes()) + " with their indexes, in "
        + RecordText.count(volume.partitions(), "partition") + "; its heartbeats " + RecordText.bytes(volume.heartbeatBytes())
        + ".");
    return 0;
  }

  /** A row's values, without the records before where the list is not compared. */
  private static Object[] cells(RecordVolume.Before before, Object name, Object records, Object share, Object then,
      Object... rest) {
    List<Object> values = new ArrayList<>(List.of(name, records, share));
    if (before != null) {
      values.add(then);
    }
    values.addAll(List.of(rest));
    return values.toArray();
  }

  /** {@code  (the range holds 2.4 times as many now)}: how the range's records compare with those before. */
  private static String growth(long now, long then) {
    return then == 0 ? "" : String.format(Locale.ROOT, " (the range holds %.2f times as many now)", (double) now / then);
  }

  /** A part's name as its line shows it: "-" for the records without a component, or outside a task. */
  private static String name(RecordVolume.Part part) {
    return part.name() == null ? "-" : RecordText.printable(part.name());
  }

  /** {@code 41.2%}: a part of a whole. */
  private static String share(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }
}
