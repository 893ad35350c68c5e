package dev.heartlog.cli;

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
    name = "migrate",
    description = "Creates or updates heartlog's tables and functions in the database, and the coming days' partitions.",
    mixinStandardHelpOptions = true)
final class MigrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--wait", paramLabel = "TIME",
      description = "Wait up to TIME (60s, 5m) for a database that does not answer yet, trying every 2 s: "
          + "one started beside this job. Default: none, a database that does not answer fails the command.")
  String waitFor;

  @Override
  public Integer call() throws InterruptedException {
    Duration atMost = waitFor == null ? null : DurationOption.positive(spec, "--wait", waitFor);
    StoreOptions.Opened opening = atMost == null || storeOptions.isEmbedded() ? storeOptions.open()
        : new DatabaseWait("heartlog migrate", spec.commandLine().getErr()).open(storeOptions::open, atMost);
    try (StoreOptions.Opened opened = opening) {
      int applied = opened.store().migrate();
      spec.commandLine().getOut().println(
          (applied == 0 ? "Schema up to date" : "Applied " + applied + " migration(s)") + " on " + opened.store().displayUrl());
      opened.store().roles().problem().ifPresent(problem -> spec.commandLine().getErr().println("heartlog: warning: " + problem));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 0;
  }
}
