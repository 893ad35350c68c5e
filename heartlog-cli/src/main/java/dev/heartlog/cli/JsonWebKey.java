package dev.heartlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of one JSON Web Key (RFC 7517), as a key file holds it: {@code kty}, {@code kid},
 * and the key's numbers and bytes in base64url. {@link SigningKey} makes a key of them.
 */
final class JsonWebKey {

  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, Object> members;

  private JsonWebKey(Map<String, Object> members) {
    this.members = members;
  }

  /**
   * The one private key in a key file's JSON: a JWK, a JWK set ({@code {"keys": [...]}}, as
   * Supabase and PostgREST keep theirs) or an array of JWKs. A private key is one with its {@code
   * d}, or a shared secret ({@code kty} {@code oct}).
   *
   * @throws IllegalArgumentException when there is none, or more than one
   */
  static JsonWebKey privateKeyIn(String json) {
    Object value;
    try (JsonParser parser = JSON.createParser(json)) {
      parser.nextToken();
      value = read(parser);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("the signing key file holds more than one JSON value");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the signing key is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a parser over a String does no I/O
    }
    List<?> keys;
    if (value instanceof Map<?, ?> map && map.get("keys") instanceof List<?> set) {
      keys = set;
    } else if (value instanceof List<?> list) {
      keys = list;
    } else {
      keys = List.of(value);
    }
    List<JsonWebKey> privateKeys = new ArrayList<>();
    for (Object key : keys) {
      if (!(key instanceof Map<?, ?>)) {
        throw new IllegalArgumentException("the signing key file holds something other than JSON Web Keys");
      }
      @SuppressWarnings("unchecked")
      JsonWebKey jwk = new JsonWebKey((Map<String, Object>) key);
      if (jwk.has("d") || "oct".equals(jwk.member("kty"))) {
        privateKeys.add(jwk);
      }
    }
    if (privateKeys.size() == 1) {
      return privateKeys.get(0);
    }
    throw new IllegalArgumentException(privateKeys.isEmpty()
        ? "the signing key is a public key: signing needs the private key (a JSON Web Key with its \"d\")"
        : "the signing key file holds " + privateKeys.size() + " private keys; give it the one to sign with");
  }

  boolean has(String member) {
    return members.containsKey(member);
  }

  /** A member as it was written: a string, a list or a map; {@code null} when absent. */
  Object member(String member) {
    return members.get(member);
  }

  /** A string member that must be there. */
  String text(String member) {
    if (members.get(member) instanceof String value && !value.isEmpty()) {
      return value;
    }
    throw new IllegalArgumentException("the signing key has no \"" + member + "\"");
  }

  /** A base64url member that must be there. */
  byte[] bytes(String member) {
    String value = text(member);
    try {
      return Base64.getUrlDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the signing key's \"" + member + "\" is not base64url");
    }
  }

  /** A base64url member read as an unsigned big-endian number (RFC 7518 §2, Base64urlUInt). */
  BigInteger number(String member) {
    return new BigInteger(1, bytes(member));
  }

  /** A JSON value as maps, lists and strings (numbers and literals as their text). */
  private static Object read(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      Map<String, Object> object = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        object.put(name, read(parser));
      }
      return object;
    }
    if (token == JsonToken.START_ARRAY) {
      List<Object> array = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        array.add(read(parser));
      }
      return array;
    }
    return parser.getText();
  }
}
