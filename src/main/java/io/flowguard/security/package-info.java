/**
 * Security parts that stand beside the API: the development key pair and token minting (dev
 * profile only). Depends on nothing of Flowguard's; the API and the command line use it.
 */
package io.flowguard.security;
