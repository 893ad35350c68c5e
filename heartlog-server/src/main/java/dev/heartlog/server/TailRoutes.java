package dev.heartlog.server;

import dev.heartlog.store.StoreJson;
import dev.heartlog.store.StoredRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsCloseStatus;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The live tail at {@code /api/tail}, two ways: a {@code GET} with {@code Accept:
 * text/event-stream} answers with server-sent events (what a browser's {@code EventSource} asks
 * for and reads, one event {@code record} per record; without that header, 406), and
 * the same address asked to upgrade ({@code ws://host:7070/api/tail?...}) opens a WebSocket that
 * gets each record as one text message. Either way a record is the JSON object {@code /api/logs}
 * lists, with its {@code id}; a follower that reconnects with {@code ?after=<id>} (or an event
 * stream's {@code Last-Event-ID}) is sent what it missed. Both take the filters of {@link
 * TailRequest} and need a reader key, which may come as {@code ?apikey=} since browsers send no
 * headers with either. A filter that cannot be read is refused with 400 before the stream or the
 * socket opens. The WebSocket ignores what the client sends.
 */
final class TailRoutes {

  static final String PATH = "/api/tail";
  /** The request's attribute holding the newest record's id as it came. */
  private static final String NEWEST_WHEN_ASKED = "heartlog.tail.newestWhenAsked";
  private static final String EVENT_STREAM = "text/event-stream";

  private final LiveTail tail;
  private final KeyCheck keys;
  private final Duration keepAlive;
  /** Why a follower was ended as it came: the store did not answer. At most 123 bytes, a WebSocket's close reason. */
  static final String NOT_FOLLOWING = "heartlog: the store does not answer now; follow again with after=<the last id received>";
  /** An event stream's comment: its reader (an EventSource) ignores it. */
  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
  /** How to end each open WebSocket's subscription and pings, by its session id. */
  private final Map<String, Runnable> sockets = new ConcurrentHashMap<>();
  /**
   * Pings the WebSockets. Javalin's own automatic pings run on a thread of the JVM that is not a
   * daemon and never ends: a program that had served a WebSocket did not exit when its server
   * was closed.
   */
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "heartlog-tail-pings");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param keepAlive how long an event stream may go without a record before it is sent a comment
   *     line, which its reader ignores, and how often a WebSocket is pinged: a proxy closes a
   *     stream quiet for longer than its read timeout (nginx's {@code proxy_read_timeout}, 60 s; a
   *     load balancer's idle timeout)
   */
  TailRoutes(LiveTail tail, KeyCheck keys, Duration keepAlive) {
    this.tail = tail;
    this.keys = keys;
    this.keepAlive = keepAlive;
  }

  void register(Javalin app) {
    app.before(PATH, ctx -> {
      check(ctx);
      requireEventStream(ctx);
      noteNewestRecord(ctx::attribute);
    });
    app.sse(PATH, client -> {
      client.keepAlive();
      TailRequest request = TailRequest.of(eventStreamParams(client.ctx())).from(client.ctx().attribute(NEWEST_WHEN_ASKED));
      LiveTail.Sink sink = new LiveTail.Sink() {
        @Override
        public void send(StoredRecord record) throws IOException {
          // Written here rather than by client.sendEvent: Javalin's reads each event's data back
          // through readers of its own, 24 KB or more of buffers an event, most of what a server
          // sending followers what they missed allocated (BENCHMARKS.md §8).
          try {
            client.ctx().res().getOutputStream().write(event("record", record.id(), StoreJson.record(record)));
            client.ctx().res().flushBuffer();
          } catch (IOException gone) {
            client.close();   // ends the stream, and the subscription with it
            throw gone;
          }
        }

        @Override
        public void close(String reason) {
          client.close();   // a browser's EventSource comes back by itself, with the ids it had
        }

        @Override
        public Duration keepAliveAfter() {
          return keepAlive;
        }

        @Override
        public void keepAlive() throws IOException {
          client.ctx().res().getOutputStream().write(KEEP_ALIVE);
          client.ctx().res().flushBuffer();
        }
      };
      try {
        client.onClose(tail.subscribe(request, sink));
      } catch (PostgrestError storeDown) {   // StoreGuard's answer: where following starts could not be read
        // Said as a comment, which an EventSource ignores before it comes back by itself; before,
        // the error's JSON was written into the stream.
        client.sendComment(NOT_FOLLOWING);
        client.close();
      }
    });
    app.wsBeforeUpgrade(PATH, ctx -> {
      check(ctx);
      noteNewestRecord(ctx::attribute);
    });
    app.ws(PATH, ws -> {
      ws.onConnect(socket -> {
        TailRequest request = TailRequest.of(socket::queryParams).from(socket.attribute(NEWEST_WHEN_ASKED));
        Runnable unsubscribe;
        try {
          unsubscribe = tail.subscribe(request, new LiveTail.Sink() {
            @Override
            public void send(StoredRecord record) {
              socket.send(StoreJson.record(record));
            }

            @Override
            public void close(String reason) {
              socket.closeSession(WsCloseStatus.TRY_AGAIN_LATER, reason);
            }
          });
        } catch (PostgrestError storeDown) {   // StoreGuard's answer: where following starts could not be read
          socket.closeSession(WsCloseStatus.TRY_AGAIN_LATER, NOT_FOLLOWING);
          return;
        }
        // Its answers keep a quiet tail (no record for minutes) from being closed as idle, by the
        // server's 30 s idle timeout or by proxies on the way, as an event stream's comments do.
        Future<?> pings = pinger.scheduleAtFixedRate(() -> ping(socket), keepAlive.toMillis(), keepAlive.toMillis(),
            TimeUnit.MILLISECONDS);
        sockets.put(socket.sessionId(), () -> {
          pings.cancel(false);
          unsubscribe.run();
        });
      });
      ws.onClose(this::end);
      ws.onError(this::end);
    });
  }

  /**
   * The query of an event stream, with {@code after} taken from {@code Last-Event-ID} where the
   * browser sends one: an {@code EventSource} that lost its stream comes back by itself, to the
   * same address, saying the id of the last record it received.
   */
  private static Function<String, List<String>> eventStreamParams(Context ctx) {
    String lastEventId = ctx.header("Last-Event-ID");
    return name -> "after".equals(name) && lastEventId != null && !lastEventId.isBlank()
        ? List.of(lastEventId)
        : ctx.queryParams(name);
  }

  /**
   * One server-sent event, as an {@code EventSource} reads it: its id (sent back as {@code
   * Last-Event-ID} when the browser reconnects), its type, and its data, one {@code data:} line
   * for each line of it.
   */
  static byte[] event(String type, long id, String data) {
    StringBuilder event = new StringBuilder(data.length() + 48)
        .append("id: ").append(id).append("\nevent: ").append(type).append('\n');
    boolean oneLine = data.indexOf('\n') < 0 && data.indexOf('\r') < 0;   // a record's JSON always is
    for (String line : oneLine ? new String[] {data} : data.split("\r\n|\r|\n", -1)) {
      event.append("data: ").append(line).append('\n');
    }
    return event.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Notes the newest record stored as the request comes, before the answer's headers go out: the
   * follower is sent what is stored after it ({@link TailRequest#from}). A record stored as soon
   * as the stream was open was missed 5 times in 10 when the server had no follower yet
   * (TailFromItsOpeningTest). Where the store does not answer, nothing is noted, and following
   * goes on as before.
   */
  private void noteNewestRecord(BiConsumer<String, Object> attributes) {
    try {
      attributes.accept(NEWEST_WHEN_ASKED, tail.newestRecordId());
    } catch (RuntimeException storeUnavailable) {
      // The subscription says why, as it did.
    }
  }

  /** Before the stream or the socket opens: the key, then the filters. */
  private void check(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    try {
      QueryParameter.onlyTaken(ctx.queryParamMap().keySet(), "GET " + PATH, TailRequest.PARAMETERS);
      TailRequest.of(eventStreamParams(ctx));
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
  }

  /**
   * Refuses, with a sentence saying what to send, a {@code GET} that does not ask for an event
   * stream: Javalin opens one only for {@code Accept: text/event-stream}, exactly what an {@code
   * EventSource} sends, and answered anything else (curl's {@code *}{@code /*}) with an empty 200.
   * A WebSocket's upgrade passes.
   */
  private static void requireEventStream(Context ctx) {
    if (!EVENT_STREAM.equals(ctx.header("Accept")) && !"websocket".equalsIgnoreCase(ctx.header("Upgrade"))) {
      throw new PostgrestError(406, "HL406", "the live tail is a stream of server-sent events: ask for it with the header "
          + "Accept: " + EVENT_STREAM + " (an EventSource does), or open a WebSocket to the same address",
          null, "curl -N -H 'Accept: " + EVENT_STREAM + "' '<this address>'");
    }
  }

  /** Ends the WebSockets' pings; for when the server stops. */
  void close() {
    pinger.shutdownNow();
  }

  private void end(WsContext socket) {
    Runnable end = sockets.remove(socket.sessionId());
    if (end != null) {
      end.run();
    }
  }

  /** A ping; a socket found closed has its subscription and pings ended, should its close have come first. */
  private void ping(WsContext socket) {
    if (!socket.session.isOpen()) {
      end(socket);
      return;
    }
    try {
      socket.sendPing();
    } catch (RuntimeException closing) {
      // onClose or onError ends the pings, or the next ping does.
    }
  }
}
