package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/**
 * What a failed connection's message leaves out. The exceptions are those pgjdbc throws: its
 * "The connection attempt failed." with the network's exception as the cause, and the server's
 * (or pooler's) FATAL message. JdbcTransportTest and CommandLineTest see a real unknown host,
 * ServerOutOfConnectionsTest a real server out of connections.
 */
class ConnectionFailureTest {

  private static final String DIRECT = "jdbc:postgresql://db.abcdefghij.supabase.co:5432/postgres";
  private static final String POOLER = "jdbc:postgresql://aws-1-eu-central-1.pooler.supabase.com:5432/postgres";

  @Test
  void supabasesDirectAddressOutOfReachFromANetworkWithoutIpv6IsToldToUseTheSessionPooler() {
    String usePooler = " Supabase's direct address, db.abcdefghij.supabase.co, has only an IPv6 address: from a network "
        + "without IPv6, use the Session pooler's URI, which the project's Connect button shows (its host "
        + "ends in .pooler.supabase.com; port 5432, user postgres.abcdefghij).";

    assertThat(ConnectionFailure.detail(DIRECT, attemptFailed(new UnknownHostException("db.abcdefghij.supabase.co"))))
        .isEqualTo(" (unknown host db.abcdefghij.supabase.co)" + usePooler);
    assertThat(ConnectionFailure.detail("postgresql://postgres:***@DB.ABCDEFGHIJ.supabase.co:5432/postgres",
        attemptFailed(new ConnectException("Network is unreachable"))))
        .isEqualTo(" (Network is unreachable)" + usePooler);
    assertThat(ConnectionFailure.detail(DIRECT, attemptFailed(new SocketTimeoutException("Connect timed out"))))
        .isEqualTo(" (Connect timed out)" + usePooler);
  }

  @Test
  void aUserWithoutTheProjectsRefOnSupabasesPoolerIsToldWhatTheUserIs() {
    assertThat(ConnectionFailure.detail(POOLER, new IllegalStateException("FATAL: Tenant or user not found")))
        .isEqualTo(" On Supabase's shared pooler the user is postgres.<project ref> (a role of your own: its name, a "
            + "dot and the ref), and the host is the one the project's Connect button shows: the aws-<n> in front of the "
            + "region is not always 0.");
    assertThat(ConnectionFailure.detail("jdbc:postgresql://pgbouncer.internal:6432/x",
        new IllegalStateException("FATAL: Tenant or user not found"))).as("another pooler's").isEmpty();
  }

  @Test
  void supabasesSessionPoolerOutOfClientsIsToldOfTheTransactionMode() {
    assertThat(ConnectionFailure.detail(POOLER, new IllegalStateException(
        "FATAL: (EMAXCONNSESSION) max clients reached in session mode - max clients are limited to pool_size: 15")))
        .isEqualTo(" A JDBC worker keeps a server connection from one heartbeat to the next: a fleet larger than the "
            + "server's connections connects through a pooler in transaction mode (Supabase's port 6543), or over HTTP.");
  }

  @Test
  void otherFailuresGetTheirNetworkReasonOnly() {
    assertThat(ConnectionFailure.detail(DIRECT, attemptFailed(new ConnectException("Connection refused"))))
        .as("refused: the address was reached").isEqualTo(" (Connection refused)");
    assertThat(ConnectionFailure.detail(POOLER, attemptFailed(new UnknownHostException("aws-1-eu-central-1.pooler.supabase.com"))))
        .isEqualTo(" (unknown host aws-1-eu-central-1.pooler.supabase.com)");
    assertThat(ConnectionFailure.detail(DIRECT, new IllegalStateException("FATAL: password authentication failed")))
        .as("no network cause").isEmpty();
    assertThat(ConnectionFailure.detail(DIRECT,
        new IllegalStateException("Connection to db:5432 refused: Connection refused", new ConnectException("Connection refused"))))
        .as("already said").isEmpty();
    assertThat(ConnectionFailure.detail(null, attemptFailed(new UnknownHostException("db")))).as("a pool's: no URL")
        .isEqualTo(" (unknown host db)");
  }

  private static Exception attemptFailed(Exception network) {
    return new IllegalStateException("The connection attempt failed.", network);
  }
}
