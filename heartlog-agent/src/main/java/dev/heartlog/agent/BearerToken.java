package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;

/**
 * The token a worker sends as its bearer ({@code heartlog token}, {@code HEARTLOG_TOKEN}), and
 * when it expires, read from its {@code exp} claim without checking its signature: PostgREST
 * checks that. The expiry serves only to say why the server refuses the worker, so that an
 * operator who reads "the token expired" makes a new one rather than hunting for a wrong key.
 *
 * @param value the token as sent
 * @param expiresAt its {@code exp}, or {@code null} when it has none or is not a JWT
 */
record BearerToken(String value, Instant expiresAt) {

  private static final JsonFactory JSON = new JsonFactory();

  static BearerToken of(String value) {
    return new BearerToken(value, expiry(value));
  }

  /** Why a server refused (HTTP 401 or 403) a call carrying this token, at {@code now}. */
  String refusalHint(Instant now) {
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      return " (the token expired at " + expiresAt + "; heartlog token makes a new one)";
    }
    return " (check the key and the token)";
  }

  private static Instant expiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try (JsonParser parser = JSON.createParser(Base64.getUrlDecoder().decode(parts[1]))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("exp") && value.isNumeric()) {
          return Instant.ofEpochSecond(parser.getLongValue());
        }
        parser.skipChildren();
      }
    } catch (IOException | IllegalArgumentException | java.time.DateTimeException e) {
      return null; // not a JWT we can read: no hint about its expiry, nothing else changes
    }
    return null;
  }

  @Override
  public String toString() {
    return "BearerToken[***" + (expiresAt == null ? "" : ", expires " + expiresAt) + "]";
  }
}
