/**
 * ml-canary: churn predictions with a statistically checked canary release.
 * {@link dev.mlcanary.Application} starts the service, the trainer or the simulator; each
 * feature is a package beside it.
 */
@NullMarked
package dev.mlcanary;

import org.jspecify.annotations.NullMarked;
