package dev.heartlog.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Takes heartlog's roles from a database login; the login itself stays. */
@Command(
    name = "revoke",
    description = "Takes heartlog_writer and heartlog_reader (and a writer's workers) from a database login; the login stays.",
    mixinStandardHelpOptions = true)
final class RevokeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "LOGIN", description = "The database login.")
  String login;

  @Override
  public Integer call() {
    try (StoreOptions.Opened opened = storeOptions.open()) {
      opened.store().revoke(login);
      spec.commandLine().getOut().println(login + " may no longer write or read through heartlog's roles on "
          + opened.store().displayUrl());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 0;
  }
}
