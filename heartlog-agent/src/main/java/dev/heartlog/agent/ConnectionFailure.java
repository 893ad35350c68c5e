package dev.heartlog.agent;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the JDBC driver's message of a failed connection leaves out, for the agent's heartbeat
 * errors and the command line's messages alike. The driver says only "The connection attempt
 * failed." for an unknown host, an unreachable network or a timeout. A server or pooler out of
 * connections says so, not that a fleet of JDBC workers holds one each. And on Supabase two
 * mistakes look like something else: its direct address has only an IPv6 address (unless the
 * project bought an IPv4 one), and its shared pooler answers a user without the project's ref
 * with "Tenant or user not found".
 */
public final class ConnectionFailure {

  /** Supabase's direct address, {@code db.<project ref>.supabase.co}, in a URL of either form. */
  private static final Pattern SUPABASE_DIRECT = Pattern.compile("(?i)//(?:[^/@]*@)?db\\.([a-z0-9]+)\\.supabase\\.co\\b");
  /** Supabase's shared pooler, {@code aws-<n>-<region>.pooler.supabase.com}. */
  private static final Pattern SUPABASE_POOLER = Pattern.compile("(?i)//(?:[^/@]*@)?[^/?@:,]*\\.pooler\\.supabase\\.com\\b");

  /** The SQLSTATE of a write refused by a read-only database: a standby, a read replica. */
  public static final String READ_ONLY = "25006";

  private ConnectionFailure() {}

  /**
   * What to append to a write the database refused as read-only (SQLSTATE 25006: a heartbeat,
   * a migration, maintenance): the URL names a standby, such as a read replica's address
   * (Supabase, RDS and Cloud SQL give each replica one of its own). Empty for any other SQLSTATE.
   */
  public static String readOnlyHint(String sqlState) {
    return READ_ONLY.equals(sqlState)
        ? " (the database is read-only: the URL names a standby, such as a read replica, or default_transaction_read_only "
            + "is on; give the primary's URL)"
        : "";
  }

  /**
   * What to append to the failure's own message; empty when it says it all.
   *
   * @param url where the connection went, in either form (its password may be hidden), or null
   * @param failure the exception of the failed connection or call
   */
  public static String detail(String url, Throwable failure) {
    String detail = networkReason(failure);
    String address = url == null ? "" : url;
    Matcher direct = SUPABASE_DIRECT.matcher(address);
    if (direct.find() && mayLackIpv6(network(failure))) {
      String ref = direct.group(1).toLowerCase(Locale.ROOT);
      detail += " Supabase's direct address, db." + ref + ".supabase.co, has only an IPv6 address: from a network "
          + "without IPv6, use the Session pooler's URI, which the project's Connect button shows (its host "
          + "ends in .pooler.supabase.com; port 5432, user postgres." + ref + ").";
    }
    String message = String.valueOf(failure.getMessage());
    if (message.contains("too many clients already") || message.contains("max clients reached")
        || message.contains("Max client connections reached")) {
      detail += " A JDBC worker keeps a server connection from one heartbeat to the next: a fleet larger than the "
          + "server's connections connects through a pooler in transaction mode (Supabase's port 6543), or over HTTP.";
    }
    if (SUPABASE_POOLER.matcher(address).find() && message.contains("Tenant or user not found")) {
      detail += " On Supabase's shared pooler the user is postgres.<project ref> (a role of your own: its name, a dot "
          + "and the ref), and the host is the one the project's Connect button shows: the aws-<n> in front of the "
          + "region is not always 0.";
    }
    return detail;
  }

  /** The network's reason, in parentheses, where the message does not hold it already. */
  private static String networkReason(Throwable failure) {
    Throwable network = network(failure);
    if (network == null) {
      return "";
    }
    String reason = network instanceof UnknownHostException ? "unknown host " + network.getMessage() : network.getMessage();
    return reason == null || String.valueOf(failure.getMessage()).contains(reason) ? "" : " (" + reason + ")";
  }

  /** The I/O failure among the causes, if any. */
  private static Throwable network(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof IOException)) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A failure an IPv4-only network gives for an address that is IPv6 only; not a refusal. */
  private static boolean mayLackIpv6(Throwable network) {
    if (network instanceof UnknownHostException || network instanceof NoRouteToHostException
        || network instanceof SocketTimeoutException) {
      return true;
    }
    return network instanceof SocketException   // ConnectException too: "Network is unreachable"
        && String.valueOf(network.getMessage()).toLowerCase(Locale.ROOT).contains("unreachable");
  }
}
