package dev.heartlog.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * An error answered in PostgREST's shape, {@code {"code", "details", "hint", "message"}}, so
 * clients written for Supabase read heartlog's errors as they read PostgREST's.
 */
final class PostgrestError extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  final int status;
  final String code;
  final String details;
  final String hint;
  /** How long the client is asked to wait before sending again ({@code Retry-After}); null for no header. */
  Duration retryAfter;

  PostgrestError(int status, String code, String message, String details, String hint) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
  }

  /** This error, answered with {@code Retry-After}. */
  PostgrestError retryAfter(Duration wait) {
    this.retryAfter = wait;
    return this;
  }

  static PostgrestError badRequest(String code, String message) {
    return new PostgrestError(400, code, message, null, null);
  }

  /** No function takes the given arguments: the answer that makes clients fall back. */
  static PostgrestError functionNotFound(String arguments) {
    return new PostgrestError(404, "PGRST202",
        "Could not find the function public.func_worker_heartbeat_with_logs(" + arguments + ") in the schema cache",
        "Searched for the function public.func_worker_heartbeat_with_logs with parameters " + arguments
            + " or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
        null);
  }

  String json() {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("code", code);
      json.writeStringField("details", details);
      json.writeStringField("hint", hint);
      json.writeStringField("message", getMessage());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
