package dev.heartlog.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate",
    description = "Creates or updates heartlog's tables and functions in the database, and the coming days' partitions.",
    mixinStandardHelpOptions = true)
final class MigrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    try (StoreOptions.Opened opened = storeOptions.open()) {
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
