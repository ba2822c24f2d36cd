/**
 * {@code POST /predict}: the request and response, the one codec both the fast path and
 * the MVC controller use, the prediction service that routes, times and records, and its
 * metrics.
 */
@NullMarked
package dev.mlcanary.prediction;

import org.jspecify.annotations.NullMarked;
