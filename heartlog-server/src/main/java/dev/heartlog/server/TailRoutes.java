package dev.heartlog.server;

import dev.heartlog.store.StoreJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The live tail at {@code /api/tail}, two ways: a plain {@code GET} answers with server-sent
 * events (what a browser's {@code EventSource} reads, one event {@code record} per record), and
 * the same address asked to upgrade ({@code ws://host:7070/api/tail?...}) opens a WebSocket that
 * gets each record as one text message. Either way a record is the JSON object {@code /api/logs}
 * lists, with its {@code id}; a follower that reconnects with {@code ?after=<id>} is sent what it
 * missed. Both take the filters of {@link TailRequest} and need a reader key, which may come as
 * {@code ?apikey=} since browsers send no headers with either. A filter that cannot be read is
 * refused with 400 before the stream or the socket opens. The WebSocket ignores what the client
 * sends.
 */
final class TailRoutes {

  static final String PATH = "/api/tail";
  /**
   * How often a WebSocket is pinged. Its answers keep a quiet tail (no record for minutes) from
   * being closed as idle, by the server's 30 s idle timeout or by proxies on the way.
   */
  static final long PING_INTERVAL_SECONDS = 15;

  private final LiveTail tail;
  private final KeyCheck keys;
  /** How to end each open WebSocket's subscription, by its session id. */
  private final Map<String, Runnable> sockets = new ConcurrentHashMap<>();

  TailRoutes(LiveTail tail, KeyCheck keys) {
    this.tail = tail;
    this.keys = keys;
  }

  void register(Javalin app) {
    app.before(PATH, this::check);
    app.sse(PATH, client -> {
      client.keepAlive();
      TailRequest request = TailRequest.of(client.ctx()::queryParam);
      client.onClose(tail.subscribe(request,
          record -> client.sendEvent("record", StoreJson.record(record), Long.toString(record.id()))));
    });
    app.wsBeforeUpgrade(PATH, this::check);
    app.ws(PATH, ws -> {
      ws.onConnect(socket -> {
        socket.enableAutomaticPings(PING_INTERVAL_SECONDS, TimeUnit.SECONDS);
        TailRequest request = TailRequest.of(socket::queryParam);
        sockets.put(socket.sessionId(), tail.subscribe(request, record -> socket.send(StoreJson.record(record))));
      });
      ws.onClose(this::end);
      ws.onError(this::end);
    });
  }

  /** Before the stream or the socket opens: the key, then the filters. */
  private void check(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    try {
      TailRequest.of(ctx::queryParam);
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
  }

  private void end(WsContext socket) {
    socket.disableAutomaticPings();
    Runnable unsubscribe = sockets.remove(socket.sessionId());
    if (unsubscribe != null) {
      unsubscribe.run();
    }
  }
}
