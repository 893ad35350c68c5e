/**
 * The JDBC transport: the agent finds it as a {@code TransportProvider} when this module is in
 * the worker's module graph (on the module path, {@code requires dev.heartlog.jdbc} or
 * {@code --add-modules dev.heartlog.jdbc}), or builds it with {@code JdbcTransport.builder()}.
 */
@SuppressWarnings("requires-automatic")   // pgjdbc has no module descriptor
module dev.heartlog.jdbc {
  requires transitive dev.heartlog.agent;
  requires transitive java.sql;       // JdbcTransportBuilder.dataSource takes a javax.sql.DataSource
  requires org.postgresql.jdbc;       // pgjdbc's automatic module

  exports dev.heartlog.jdbc;

  provides dev.heartlog.agent.TransportProvider with dev.heartlog.jdbc.JdbcTransportProvider;
}
