package dev.heartlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key a worker token is signed with, and the JWS algorithm that goes with it (RFC 7518):
 * <ul>
 *   <li>HS256, a shared secret: PostgREST's {@code jwt-secret}, Supabase's legacy JWT secret, or a
 *       JSON Web Key of type {@code oct};
 *   <li>ES256, a P-256 private key: what {@code supabase gen signing-key --algorithm ES256} prints,
 *       and what Supabase projects sign with since they moved to asymmetric signing keys;
 *   <li>RS256, an RSA private key of at least 2,048 bits.
 * </ul>
 * A private key is read from a JSON Web Key (RFC 7517: one key, or a set holding one private key)
 * or from a PEM file in PKCS#8 ({@code BEGIN PRIVATE KEY}, as {@code openssl genpkey} writes it).
 */
final class SigningKey {

  /** PostgREST refuses a JWT secret shorter than this. */
  static final int MIN_SECRET_BYTES = 32;
  static final int MIN_RSA_BITS = 2048;

  private static final JsonFactory JSON = new JsonFactory();
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final ECParameterSpec P256 = p256();

  private final String algorithm;
  private final String keyId;
  private final byte[] secret;       // HS256
  private final PrivateKey privateKey; // ES256, RS256

  private SigningKey(String algorithm, String keyId, byte[] secret, PrivateKey privateKey) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.secret = secret;
    this.privateKey = privateKey;
  }

  /**
   * A shared secret, as PostgREST takes it.
   *
   * @throws IllegalArgumentException when it is shorter than PostgREST accepts
   */
  static SigningKey secret(byte[] secret) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the JWT secret is " + secret.length + " bytes; PostgREST needs at least "
          + MIN_SECRET_BYTES);
    }
    return new SigningKey("HS256", null, secret.clone(), null);
  }

  /**
   * The private key in a key file's text: a JSON Web Key, a JSON Web Key set holding one private
   * key, or a PKCS#8 PEM.
   *
   * @throws IllegalArgumentException naming what is wrong with the key, for the user to fix
   */
  static SigningKey parse(String text) {
    String trimmed = text.strip();
    if (trimmed.startsWith("-----BEGIN")) {
      return fromPem(trimmed);
    }
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      return fromJwk(privateKeyIn(trimmed));
    }
    throw new IllegalArgumentException("the signing key is neither a JSON Web Key nor a PEM private key");
  }

  /** The JWS {@code alg} of its signatures: HS256, ES256 or RS256. */
  String algorithm() {
    return algorithm;
  }

  /** The key's id ({@code kid}) for the token's header, or {@code null} when it has none. */
  String keyId() {
    return keyId;
  }

  /** This key under another id (a PEM file carries none). */
  SigningKey withKeyId(String id) {
    return new SigningKey(algorithm, id, secret, privateKey);
  }

  /** The JWS signature of {@code input}: for ES256 the two 32-byte integers R and S, as RFC 7518 §3.4 asks. */
  byte[] sign(byte[] input) {
    try {
      if (secret != null) {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return hmac.doFinal(input);
      }
      Signature signature = Signature.getInstance(jdkSignature());
      signature.initSign(privateKey);
      signature.update(input);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot sign " + algorithm, e);
    }
  }

  /** The JDK's name of the signature: its P1363 format is JWS's R || S; plain SHA256withECDSA would give DER. */
  private String jdkSignature() {
    return algorithm.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA";
  }

  // --- JSON Web Keys ----------------------------------------------------------------------------

  /** The one private key of a JWK, a JWK set ({"keys": [...]}) or an array of JWKs. */
  private static Map<String, Object> privateKeyIn(String json) {
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
    List<Map<String, Object>> privateKeys = new ArrayList<>();
    for (Object key : keys) {
      if (!(key instanceof Map<?, ?>)) {
        throw new IllegalArgumentException("the signing key file holds something other than JSON Web Keys");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> jwk = (Map<String, Object>) key;
      if (jwk.containsKey("d") || "oct".equals(jwk.get("kty"))) {
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

  private static SigningKey fromJwk(Map<String, Object> jwk) {
    String type = text(jwk, "kty");
    String keyId = jwk.containsKey("kid") ? text(jwk, "kid") : null;
    if (jwk.containsKey("use") && !"sig".equals(jwk.get("use"))) {
      throw new IllegalArgumentException("the signing key is for \"use\": " + jwk.get("use") + ", not for signatures");
    }
    String expected = switch (type) {
      case "EC" -> "ES256";
      case "RSA" -> "RS256";
      case "oct" -> "HS256";
      default -> throw new IllegalArgumentException("heartlog signs with keys of type EC (P-256), RSA or oct, not " + type);
    };
    if (jwk.containsKey("alg") && !expected.equals(jwk.get("alg"))) {
      throw new IllegalArgumentException("the signing key is for " + jwk.get("alg") + "; heartlog signs " + type
          + " keys with " + expected);
    }
    try {
      return switch (type) {
        case "EC" -> {
          if (!"P-256".equals(jwk.get("crv"))) {
            throw new IllegalArgumentException("heartlog signs with EC keys on P-256 (ES256), not " + jwk.get("crv"));
          }
          KeyFactory factory = KeyFactory.getInstance("EC");
          SigningKey key = new SigningKey("ES256", keyId, null,
              factory.generatePrivate(new ECPrivateKeySpec(number(jwk, "d"), P256)));
          if (jwk.containsKey("x") && jwk.containsKey("y")) {
            key.checkPair(factory.generatePublic(new ECPublicKeySpec(new ECPoint(number(jwk, "x"), number(jwk, "y")), P256)));
          }
          yield key;
        }
        case "RSA" -> {
          RSAPrivateKeySpec spec = jwk.containsKey("p")
              ? new RSAPrivateCrtKeySpec(number(jwk, "n"), number(jwk, "e"), number(jwk, "d"), number(jwk, "p"),
                  number(jwk, "q"), number(jwk, "dp"), number(jwk, "dq"), number(jwk, "qi"))
              : new RSAPrivateKeySpec(number(jwk, "n"), number(jwk, "d"));
          KeyFactory factory = KeyFactory.getInstance("RSA");
          SigningKey key = new SigningKey("RS256", keyId, null, checkedRsa(factory.generatePrivate(spec)));
          if (jwk.containsKey("e")) {
            key.checkPair(factory.generatePublic(new RSAPublicKeySpec(number(jwk, "n"), number(jwk, "e"))));
          }
          yield key;
        }
        default -> secret(bytes(jwk, "k")).withKeyId(keyId);
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the signing key is not a valid " + type + " key: " + e.getMessage());
    }
  }

  /**
   * Signs a probe and verifies it with the key's public half, as the project will: a JWK whose
   * private part belongs to another key would otherwise make tokens that every verifier refuses,
   * found only once they are out in the fleet.
   */
  private void checkPair(PublicKey publicKey) {
    byte[] probe = "heartlog signing key check".getBytes(StandardCharsets.US_ASCII);
    boolean verified;
    try {
      Signature signer = Signature.getInstance(jdkSignature());
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(jdkSignature());
      verifier.initVerify(publicKey);
      verifier.update(probe);
      verified = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      verified = false; // an RSA key whose CRT parts disagree fails the JDK's own check of what it signed
    }
    if (!verified) {
      throw new IllegalArgumentException("the signing key's private part does not belong to its public part ("
          + (algorithm.equals("ES256") ? "\"d\" against \"x\" and \"y\"" : "\"d\" against \"n\" and \"e\"") + ")");
    }
  }

  private static String text(Map<String, Object> jwk, String member) {
    if (jwk.get(member) instanceof String value && !value.isEmpty()) {
      return value;
    }
    throw new IllegalArgumentException("the signing key has no \"" + member + "\"");
  }

  private static byte[] bytes(Map<String, Object> jwk, String member) {
    try {
      return BASE64URL.decode(text(jwk, member));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the signing key's \"" + member + "\" is not base64url");
    }
  }

  private static BigInteger number(Map<String, Object> jwk, String member) {
    return new BigInteger(1, bytes(jwk, member));
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

  // --- PEM --------------------------------------------------------------------------------------

  private static SigningKey fromPem(String pem) {
    String label = pem.substring("-----BEGIN ".length(), Math.max(pem.indexOf("-----", 5), 11));
    if (!label.equals("PRIVATE KEY")) {
      throw new IllegalArgumentException(switch (label) {
        case "EC PRIVATE KEY", "RSA PRIVATE KEY" -> "the signing key is a PEM " + label
            + "; heartlog reads PKCS#8 (BEGIN PRIVATE KEY): openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.p8";
        case "ENCRYPTED PRIVATE KEY" -> "the signing key is encrypted; decrypt it first: openssl pkcs8 -in KEY -out KEY.p8";
        default -> "the signing key is a PEM " + label + ", not a private key (BEGIN PRIVATE KEY)";
      });
    }
    byte[] der;
    try {
      String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the signing key's PEM is not base64");
    }
    for (String type : List.of("EC", "RSA")) {
      PrivateKey key;
      try {
        key = KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        continue;
      }
      if (key instanceof ECPrivateKey ec) {
        if (!ec.getParams().getOrder().equals(P256.getOrder())) {
          throw new IllegalArgumentException("heartlog signs with EC keys on P-256 (ES256); this key is on another curve");
        }
        return new SigningKey("ES256", null, null, key);
      }
      return new SigningKey("RS256", null, null, checkedRsa(key));
    }
    throw new IllegalArgumentException("the signing key is neither an EC nor an RSA private key");
  }

  private static PrivateKey checkedRsa(PrivateKey key) {
    int bits = ((RSAPrivateKey) key).getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new IllegalArgumentException("the RSA signing key has " + bits + " bits; RS256 needs at least " + MIN_RSA_BITS);
    }
    return key;
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no P-256 curve", e);
    }
  }

  @Override
  public String toString() {
    return algorithm + (keyId == null ? "" : " by key " + keyId);
  }
}
