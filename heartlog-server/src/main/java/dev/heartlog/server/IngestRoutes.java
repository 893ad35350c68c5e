package dev.heartlog.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.heartlog.agent.StorableText;
import dev.heartlog.store.IngestCall;
import dev.heartlog.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The write side, in PostgREST's dialect: {@code POST /rest/v1/rpc/func_worker_heartbeat_with_logs}
 * and the seed's fallback {@code PATCH /rest/v1/workers?id=eq.<id>}. A writer key may write only
 * as the workers its prefix covers.
 */
final class IngestRoutes {

  static final String RPC_PATH = "/rest/v1/rpc/func_worker_heartbeat_with_logs";
  static final String WORKERS_PATH = "/rest/v1/workers";

  private static final JsonFactory JSON = new JsonFactory();

  private final Store store;
  private final StoreGuard guard;
  private final KeyCheck keys;
  private final long maxBodyBytes;
  private final ServerMetrics metrics;

  IngestRoutes(Store store, StoreGuard guard, KeyCheck keys, long maxBodyBytes, ServerMetrics metrics) {
    this.store = store;
    this.guard = guard;
    this.keys = keys;
    this.maxBodyBytes = maxBodyBytes;
    this.metrics = metrics;
  }

  void heartbeat(Context ctx) {
    long start = System.nanoTime();
    String result;
    try {
      ApiKeys.Grant grant = keys.require(ctx, ApiKeys.Role.WRITER);
      IngestCall call = IngestRequest.parse(RequestBody.read(ctx, maxBodyBytes));
      requireMayWriteAs(grant, call.workerId());
      result = guard.call(() -> store.ingest(call));
    } catch (PostgrestError e) {
      metrics.failed(e.status, System.nanoTime() - start);
      throw e;
    } catch (RuntimeException e) {
      metrics.failed(500, System.nanoTime() - start);
      throw e;
    }
    metrics.answered(result, System.nanoTime() - start);
    ctx.status(200).contentType("application/json").result(result);
  }

  /**
   * Updates the worker's row. Answers as PostgREST does: 204 and no body, or, asked for with
   * {@code Prefer: return=representation} (supabase-py's {@code update()} always asks), 200 and
   * the updated rows, {@code []} for an unknown worker, with the columns {@code select=} names.
   */
  void patchWorker(Context ctx) {
    Optional<String> row;
    try {
      row = updateWorker(ctx);
    } catch (PostgrestError e) {
      metrics.workerUpdateFailed(e.status);
      throw e;
    } catch (RuntimeException e) {
      metrics.workerUpdateFailed(500);
      throw e;
    }
    metrics.workerUpdated(row.isPresent());
    if (wantsRepresentation(ctx)) {
      ctx.status(200).contentType("application/json; charset=utf-8").result(row.map(r -> "[" + r + "]").orElse("[]"));
    } else {
      ctx.status(204);
    }
  }

  /** The worker's row as the {@code PATCH} left it, with the columns asked for; empty for an unknown worker. */
  private Optional<String> updateWorker(Context ctx) {
    ApiKeys.Grant grant = keys.require(ctx, ApiKeys.Role.WRITER);
    String filter = ctx.queryParam("id");
    if (filter == null || !filter.startsWith("eq.")) {
      throw PostgrestError.badRequest("PGRST100", "heartlog supports PATCH /rest/v1/workers?id=eq.<worker id> only");
    }
    String workerId = filter.substring(3);
    requireMayWriteAs(grant, workerId);
    Map<String, Object> fields = readWorkerFields(RequestBody.read(ctx, maxBodyBytes));
    return guard.call(() -> store.updateWorker(workerId, fields, fields.containsKey("current_task_id"), selectedColumns(ctx)));
  }

  /** Whether a {@code Prefer} header asks for the changed rows: {@code return=representation}. */
  private static boolean wantsRepresentation(Context ctx) {
    return Collections.list(ctx.req().getHeaders("Prefer")).stream()
        .flatMap(header -> Arrays.stream(header.split(",")))
        .anyMatch(preference -> preference.strip().equalsIgnoreCase("return=representation"));
  }

  /** The column names of {@code select=}; null for all ({@code select=*} or none). */
  private static List<String> selectedColumns(Context ctx) {
    String select = ctx.queryParam("select");
    if (select == null || select.isBlank() || select.strip().equals("*")) {
      return null;
    }
    return Arrays.stream(select.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
  }

  /**
   * Any other PostgREST path a Supabase client may call: an error in PostgREST's shape, which
   * the client reads (supabase-py's {@code APIError}), saying what heartlog serve answers, where
   * a plain 404 page left it "JSON could not be generated".
   */
  void notServed(Context ctx) {
    String name = ctx.path().substring("/rest/v1/".length());
    String served = "heartlog serve answers POST " + RPC_PATH + " and PATCH " + WORKERS_PATH
        + "?id=eq.<worker id>; records are read at /api/logs";
    if (name.startsWith("rpc/") && !ctx.path().equals(RPC_PATH)) {
      throw new PostgrestError(404, "PGRST202",
          "Could not find the function public." + name.substring(4) + " in the schema cache", null, served);
    }
    if (ctx.path().equals(RPC_PATH) || name.equals("workers")) {
      throw new PostgrestError(405, "PGRST117", "Unsupported HTTP method: " + ctx.method(), null, served);
    }
    throw new PostgrestError(404, "PGRST205", "Could not find the table 'public." + name + "' in the schema cache", null,
        served);
  }

  private static void requireMayWriteAs(ApiKeys.Grant grant, String workerId) {
    if (!grant.mayWriteAs(workerId)) {
      throw new PostgrestError(403, "42501", "This key may not write as worker " + workerId, null,
          "A writer key writes only as the workers whose id starts with its prefix (" + grant.workerPrefix() + ")");
    }
  }

  private static Map<String, Object> readWorkerFields(byte[] body) {
    Map<String, Object> fields = new HashMap<>();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw PostgrestError.badRequest("PGRST102", "The request body must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "last_heartbeat", "status", "current_task_id" ->
              fields.put(name, value == JsonToken.VALUE_NULL ? null : StorableText.clean(parser.getText(), 1024));
          case "vram_total_mb", "vram_used_mb" -> fields.put(name, value == JsonToken.VALUE_NULL ? null : mebibytes(parser, name));
          default -> throw PostgrestError.badRequest("PGRST204", "Could not find the '" + name + "' column of 'workers'");
        }
      }
    } catch (IOException e) {
      throw PostgrestError.badRequest("PGRST102", "Invalid JSON in the request body");
    }
    return fields;
  }

  /** A VRAM figure of the PATCH, a fraction rounded (as {@link VramFigures} reads a heartbeat's). */
  private static Integer mebibytes(JsonParser parser, String name) throws IOException {
    JsonToken token = parser.currentToken();
    Integer figure = token.isNumeric() || token == JsonToken.VALUE_STRING ? VramFigures.mebibytes(parser.getText().strip()) : null;
    if (figure == null) {
      throw PostgrestError.badRequest("22P02", "invalid input syntax for type integer: " + name + " = " + parser.getText());
    }
    return figure;
  }
}
