package dev.heartlog.server;

import io.javalin.http.Context;
import java.util.Locale;

/**
 * Finds the key of a request, as Supabase clients send it ({@code apikey} header or {@code
 * Authorization: Bearer}) or as a browser can ({@code ?apikey=}), and checks its role.
 */
final class KeyCheck {

  /** The query parameter that carries a key where no header can (an EventSource, a link). */
  static final String KEY_PARAMETER = "apikey";

  private final ApiKeys keys;

  KeyCheck(ApiKeys keys) {
    this.keys = keys;
  }

  /**
   * @throws PostgrestError 401 without a known key, 403 with a key of the other role
   */
  ApiKeys.Grant require(Context ctx, ApiKeys.Role role) {
    String presented = presentedKey(ctx);
    if (presented == null) {
      throw new PostgrestError(401, "PGRST301", "No API key found in request", null,
          "Send the key as the apikey header or as Authorization: Bearer <key>");
    }
    ApiKeys.Grant grant = keys.grantOf(presented).orElseThrow(() ->
        new PostgrestError(401, "PGRST301", "Invalid API key", null, "Check the key heartlog serve printed or its keys file"));
    if (grant.role() != role) {
      throw new PostgrestError(403, "42501", "A " + grant.role().name().toLowerCase(Locale.ROOT) + " key cannot do this",
          null, role == ApiKeys.Role.WRITER ? "Heartbeats need a writer key" : "The query API needs a reader key");
    }
    return grant;
  }

  private static String presentedKey(Context ctx) {
    String apikey = ctx.header("apikey");
    if (apikey != null && !apikey.isBlank()) {
      return apikey;
    }
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7);
    }
    return ctx.queryParam(KEY_PARAMETER);
  }
}
