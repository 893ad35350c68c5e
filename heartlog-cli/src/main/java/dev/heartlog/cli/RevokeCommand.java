package dev.heartlog.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Takes heartlog's roles from a database login (the login itself stays), or revokes the tokens
 * {@code heartlog token} made for some workers.
 */
@Command(
    name = "revoke",
    description = {
        "Takes heartlog_writer and heartlog_reader (and a writer's workers) from a database login; the login stays.",
        "With --tokens instead: refuses every token made by heartlog token --workers PREFIX before now."},
    mixinStandardHelpOptions = true)
final class RevokeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "LOGIN", arity = "0..1", description = "The database login.")
  String login;

  @Option(names = "--tokens", paramLabel = "PREFIX",
      description = "Revoke the tokens for PREFIX instead: exactly the --workers they were made with ('*' for any).")
  String tokens;

  @Override
  public Integer call() {
    if ((login == null) == (tokens == null)) {
      throw new ParameterException(spec.commandLine(), "give a LOGIN, or --tokens PREFIX, not both");
    }
    BlankValues.refuseLogin(spec, login);
    BlankValues.refusePrefix(spec, "--tokens", tokens);
    try (StoreOptions.Opened opened = storeOptions.open()) {
      if (login != null) {
        opened.store().roles().revoke(login);
        spec.commandLine().getOut().println(login + " may no longer write or read through heartlog's roles on "
            + opened.store().displayUrl());
      } else {
        String prefix = "*".equals(tokens) ? "" : tokens;
        Instant cutoff = opened.store().roles().revokeTokens(prefix);
        spec.commandLine().getOut().println("Tokens for " + (prefix.isEmpty() ? "any worker" : "the workers \"" + prefix + "\"")
            + " issued before " + cutoff + " are refused by " + opened.store().displayUrl()
            + " from now on; heartlog token makes a new one from the next second on.");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 0;
  }
}
