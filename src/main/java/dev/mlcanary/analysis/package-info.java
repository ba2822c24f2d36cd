/**
 * The canary health check as the service runs it: the judges of a deployment period's
 * samples, their verdicts and gauges, the actuator health indicator, and the endpoints
 * that show them. The statistics they use are in {@code statistics}.
 */
@NullMarked
package dev.mlcanary.analysis;

import org.jspecify.annotations.NullMarked;
