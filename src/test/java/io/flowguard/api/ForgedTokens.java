package io.flowguard.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds compact JWS tokens by hand, byte by byte, so tests can send exactly the malformed,
 * mis-signed or mis-dated tokens an attacker would: {@code alg: none}, HMAC keyed with the public
 * key, another key pair's signature, wrong claims.
 */
final class ForgedTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ForgedTokens() {
    }

    /** @return claims that the test service accepts, signed properly */
    static Map<String, Object> validClaims(String subject, String... groups) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", TestTokens.ISSUER);
        claims.put("aud", TestTokens.AUDIENCE);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", List.of(groups));
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 300);
        return claims;
    }

    static Map<String, Object> header(String alg) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "JWT");
        return header;
    }

    static String signingInput(Map<String, Object> header, Map<String, Object> claims) {
        return encode(json(header)) + "." + encode(json(claims));
    }

    static String withSignature(String signingInput, byte[] signature) {
        return signingInput + "." + B64.encodeToString(signature);
    }

    static String sign(String javaAlgorithm, PrivateKey key, Map<String, Object> header, Map<String, Object> claims) {
        String input = signingInput(header, claims);
        try {
            Signature signature = Signature.getInstance(javaAlgorithm);
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return withSignature(input, signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs a header and a payload given as raw JSON text (duplicate names, wrong shapes, not JSON at all). */
    static String signRaw(PrivateKey key, String headerJson, String payloadJson) {
        String input = encode(headerJson) + "." + encode(payloadJson);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return withSignature(input, signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(PrivateKey key, Map<String, Object> claims) {
        return sign("SHA256withRSA", key, header("RS256"), claims);
    }

    /** ES256 in JWS form: the raw r||s signature (IEEE P1363), not DER. */
    static String es256(PrivateKey key, Map<String, Object> claims) {
        return sign("SHA256withECDSAinP1363Format", key, header("ES256"), claims);
    }

    static String hs256(byte[] secret, Map<String, Object> claims) {
        String input = signingInput(header("HS256"), claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return withSignature(input, mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(Map<String, Object> header, Map<String, Object> claims) {
        return signingInput(header, claims) + ".";
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Map<String, Object> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
