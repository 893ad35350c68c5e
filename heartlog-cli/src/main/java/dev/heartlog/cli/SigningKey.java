package dev.heartlog.cli;

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
import java.util.Base64;
import java.util.List;
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
      return fromJwk(JsonWebKey.privateKeyIn(trimmed));
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

  private static SigningKey fromJwk(JsonWebKey jwk) {
    String type = jwk.text("kty");
    String keyId = jwk.has("kid") ? jwk.text("kid") : null;
    if (jwk.has("use") && !"sig".equals(jwk.member("use"))) {
      throw new IllegalArgumentException("the signing key is for \"use\": " + jwk.member("use") + ", not for signatures");
    }
    String expected = switch (type) {
      case "EC" -> "ES256";
      case "RSA" -> "RS256";
      case "oct" -> "HS256";
      default -> throw new IllegalArgumentException("heartlog signs with keys of type EC (P-256), RSA or oct, not " + type);
    };
    if (jwk.has("alg") && !expected.equals(jwk.member("alg"))) {
      throw new IllegalArgumentException("the signing key is for " + jwk.member("alg") + "; heartlog signs " + type
          + " keys with " + expected);
    }
    try {
      return switch (type) {
        case "EC" -> {
          if (!"P-256".equals(jwk.member("crv"))) {
            throw new IllegalArgumentException("heartlog signs with EC keys on P-256 (ES256), not " + jwk.member("crv"));
          }
          KeyFactory factory = KeyFactory.getInstance("EC");
          SigningKey key = new SigningKey("ES256", keyId, null,
              factory.generatePrivate(new ECPrivateKeySpec(jwk.number("d"), P256)));
          if (jwk.has("x") && jwk.has("y")) {
            key.checkPair(factory.generatePublic(new ECPublicKeySpec(new ECPoint(jwk.number("x"), jwk.number("y")), P256)));
          }
          yield key;
        }
        case "RSA" -> {
          RSAPrivateKeySpec spec = jwk.has("p")
              ? new RSAPrivateCrtKeySpec(jwk.number("n"), jwk.number("e"), jwk.number("d"), jwk.number("p"),
                  jwk.number("q"), jwk.number("dp"), jwk.number("dq"), jwk.number("qi"))
              : new RSAPrivateKeySpec(jwk.number("n"), jwk.number("d"));
          KeyFactory factory = KeyFactory.getInstance("RSA");
          SigningKey key = new SigningKey("RS256", keyId, null, checkedRsa(factory.generatePrivate(spec)));
          if (jwk.has("e")) {
            key.checkPair(factory.generatePublic(new RSAPublicKeySpec(jwk.number("n"), jwk.number("e"))));
          }
          yield key;
        }
        default -> secret(jwk.bytes("k")).withKeyId(keyId);
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
