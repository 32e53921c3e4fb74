/**
 * Configuration helpers shared by every capability: secrets given as values or as files.
 * A leaf package: it depends on nothing else of Flowguard.
 */
package io.flowguard.config;
