/**
 * Operations: the command line ({@code serve}, {@code migrate}, {@code dev-token}), the health
 * checks ({@code /health} itself is {@link io.flowguard.api.HealthResource}), the meter registry and
 * the configuration sources an operator adds. May depend on every other package; none depends on it.
 */
package io.flowguard.ops;
