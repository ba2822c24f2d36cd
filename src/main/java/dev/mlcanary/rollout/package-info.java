/**
 * The automated progressive rollout: the policy that turns a verdict into the next
 * action, and the driver that schedules analyses, applies the action and records it.
 */
@NullMarked
package dev.mlcanary.rollout;

import org.jspecify.annotations.NullMarked;
