/**
 * What the edge and the API share, so that neither imports the other: the RFC 9457 problem body
 * ({@link io.flowguard.http.Problems}), the audit trail of security events ({@link
 * io.flowguard.http.SecurityAudit}) and the keys of what one layer leaves in a request's context for
 * the other ({@link io.flowguard.http.RequestKeys}).
 *
 * <p>Rule, checked by {@code ArchitectureTest}: depends on neither {@code api} nor {@code edge}.
 */
package io.flowguard.http;
