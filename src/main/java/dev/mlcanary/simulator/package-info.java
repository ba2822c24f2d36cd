/**
 * The traffic simulator: a command-line client (plain {@code java.net.http}, no Spring)
 * that plays the canary lifecycle, or an automated rollout scenario, against a running
 * service.
 */
@NullMarked
package dev.mlcanary.simulator;

import org.jspecify.annotations.NullMarked;
