/**
 * What is deployed: the immutable {@link dev.mlcanary.deployment.Deployment} snapshot,
 * the transitions between snapshots under compare-and-set, their durable state, and the
 * admin endpoints that drive them.
 */
@NullMarked
package dev.mlcanary.deployment;

import org.jspecify.annotations.NullMarked;
