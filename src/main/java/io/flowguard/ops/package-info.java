/**
 * Operations: the command line ({@code serve}, {@code migrate}), health checks and the
 * configuration sources an operator adds. May depend on every other package; none depends on it.
 */
package io.flowguard.ops;
