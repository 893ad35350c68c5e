package dev.heartlog.cli;

import dev.heartlog.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.BiPredicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Gives a database login one of heartlog's roles (DESIGN.md, "Roles"), creating the login with a
 * new password when it does not exist. Runs as the user that migrated the store.
 */
@Command(
    name = "grant",
    description = "Makes a database login a writer (may only send heartbeats, as its own workers) or a reader (may only read).",
    mixinStandardHelpOptions = true,
    subcommands = {GrantCommand.Writer.class, GrantCommand.Reader.class})
final class GrantCommand implements Runnable {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say which role: heartlog grant writer LOGIN --workers PREFIX, or heartlog grant reader LOGIN");
  }

  @Command(
      name = "writer",
      description = "Makes LOGIN a member of heartlog_writer: it may call the ingest function and nothing else, only for worker ids that start with PREFIX.",
      mixinStandardHelpOptions = true)
  static final class Writer implements Runnable {
    @Spec CommandSpec spec;
    @Mixin StoreOptions storeOptions;

    @Parameters(paramLabel = "LOGIN", description = "The database login; created when missing.")
    String login;

    @Option(names = "--workers", paramLabel = "PREFIX", required = true,
        description = "The worker ids it may write as: those starting with PREFIX; '*' for any.")
    String workers;

    @Option(names = "--token-required",
        description = "For a role PostgREST switches to (Supabase: authenticated): it writes only with a token from "
            + "heartlog token, not with any token of that role, such as those of the project's signed-in users.")
    boolean tokenRequired;

    @Override
    public void run() {
      BlankValues.refuseLogin(spec, login);
      BlankValues.refusePrefix(spec, "--workers", workers);
      String prefix = "*".equals(workers) ? "" : workers;
      grant(spec, storeOptions, login, (store, password) -> store.roles().grantWriter(login, prefix, tokenRequired, password),
          "keep it in the workers' secrets", "may send heartbeats as "
              + (prefix.isEmpty() ? "any worker" : "the workers whose id starts with \"" + prefix + "\"")
              + (tokenRequired ? ", only with a token from heartlog token," : ",") + " and do nothing else");
    }
  }

  @Command(
      name = "reader",
      description = "Makes LOGIN a member of heartlog_reader: it may read what logs, task, worker, workers and heartlog serve read, and write nothing.",
      mixinStandardHelpOptions = true)
  static final class Reader implements Runnable {
    @Spec CommandSpec spec;
    @Mixin StoreOptions storeOptions;

    @Parameters(paramLabel = "LOGIN", description = "The database login; created when missing.")
    String login;

    @Override
    public void run() {
      BlankValues.refuseLogin(spec, login);
      grant(spec, storeOptions, login, (store, password) -> store.roles().grantReader(login, password),
          "give it to whoever reads the logs", "may read the records, workers and heartbeats, and write nothing");
    }
  }

  /** 128 random bits in hex: nothing to quote in a URL, and no leading '-' to pass for an option. */
  private static String newPassword() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Runs one grant with a fresh password for the login in case it is created, prints that
   * password if it was, with where to keep it, then what the login may do.
   */
  private static void grant(CommandSpec spec, StoreOptions storeOptions, String login,
      BiPredicate<Store, String> grant, String keepIt, String mayDo) {
    String password = newPassword();
    try (StoreOptions.Opened opened = storeOptions.open()) {
      PrintWriter out = spec.commandLine().getOut();
      if (grant.test(opened.store(), password)) {
        out.println("Created login " + login + " with password " + password + " (shown once; " + keepIt + ")");
      }
      out.println(login + " " + mayDo + ", on " + opened.store().displayUrl());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
