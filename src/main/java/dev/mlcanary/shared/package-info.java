/**
 * The vocabulary several features share and nothing else: the role a request was served
 * in, the latency windows of a deployment period, and the verdict of a check. Depends on
 * no feature.
 */
@NullMarked
package dev.mlcanary.shared;

import org.jspecify.annotations.NullMarked;
