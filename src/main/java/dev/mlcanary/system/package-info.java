/**
 * Plumbing that knows no feature: configuration of the HTTP edge, problem+json answers
 * for every error, and admin authentication. Features build on it; it imports none of
 * them.
 */
@NullMarked
package dev.mlcanary.system;

import org.jspecify.annotations.NullMarked;
