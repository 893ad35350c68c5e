/**
 * What a worker embeds: the agent, its HTTP transport, the {@code WorkerLog} facade and the
 * {@code java.util.logging} handler.
 *
 * <p>On the module path a worker {@code requires dev.heartlog.agent}. The modules it needs from
 * the JDK are named here, so that they are resolved even when the worker does not name them
 * itself: the HTTP transport's {@code java.net.http} is not among the JDK modules a modular
 * application gets without asking. Micrometer is optional, as on the class path: the meters are
 * registered when the worker's module graph holds {@code micrometer.core}.
 */
@SuppressWarnings("requires-automatic")   // micrometer.core has no module descriptor
module dev.heartlog.agent {
  requires transitive java.logging;   // HeartlogHandler is a java.util.logging.Handler
  requires transitive java.net.http;  // PostgrestTransportBuilder.httpClient takes an HttpClient
  requires com.fasterxml.jackson.core;
  requires static micrometer.core;

  exports dev.heartlog.agent;
  exports dev.heartlog.agent.jul;

  // The JDBC transport, found when heartlog-jdbc is on the module path as on the class path.
  uses dev.heartlog.agent.TransportProvider;
}
