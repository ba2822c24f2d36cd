/**
 * Which version serves a request: the canary router, random by weight or sticky by
 * request key.
 */
@NullMarked
package dev.mlcanary.routing;

import org.jspecify.annotations.NullMarked;
