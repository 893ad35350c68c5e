package dev.heartlog.cli;

import dev.heartlog.store.Maintenance;
import dev.heartlog.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "maintain",
    description = "Creates the coming days' partitions and drops the days past retention. Run it hourly (cron) where pg_cron is missing.",
    mixinStandardHelpOptions = true)
final class MaintainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "${env:HEARTLOG_RETENTION}",
      description = "Keep this much, with its unit: 48h, 7d, at least 1h (default: $HEARTLOG_RETENTION, as for "
          + "heartlog serve, else the database's heartlog.retention, else 48h).")
  String retention;

  @Option(names = "--days-ahead", paramLabel = "N", defaultValue = "" + Store.DEFAULT_DAYS_AHEAD,
      description = "Partitions to create ahead of today (default ${DEFAULT-VALUE}).")
  int daysAhead;

  @Override
  public Integer call() {
    Duration kept = retention == null ? null : RetentionOption.parse(spec, retention);
    try (StoreOptions.Opened opened = storeOptions.open()) {
      Maintenance result = opened.store().maintain(kept, daysAhead);
      spec.commandLine().getOut().println(result.summary());
      if (kept != null) {
        RetentionOption.cronKeepsLess(opened.store(), kept)
            .ifPresent(warning -> spec.commandLine().getErr().println("heartlog: warning: " + warning));
      }
      if (result.partitionsInUse() > 0) {
        spec.commandLine().getErr().println("heartlog: " + partitions(result.partitionsInUse())
            + " left for the next run: a long read of system_logs held the locks needed to create or drop them");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 0;
  }

  static String partitions(int count) {
    return count == 1 ? "1 partition" : count + " partitions";
  }
}
