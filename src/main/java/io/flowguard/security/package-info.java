/**
 * Security parts that stand beside the API: the token policy Flowguard adds to MicroProfile JWT
 * (RS256/ES256 only, {@code nbf}/{@code iat} checks, the startup rules for issuer, audience,
 * skew and key), MicroProfile JWT's verifier installed behind the cache of verified tokens
 * ({@link io.flowguard.security.TokenVerification}, {@link io.flowguard.security.VerifiedTokens}),
 * and the development key pair and token minting (dev profile only). Depends on nothing of
 * Flowguard's; the API and the command line use it.
 */
package io.flowguard.security;
