/**
 * The example flows shipped with the service ({@code feature-approval}, {@code campaign-launch}),
 * written only against the {@code flow} DSL, as any user's flow would be.
 */
package io.flowguard.examples;
