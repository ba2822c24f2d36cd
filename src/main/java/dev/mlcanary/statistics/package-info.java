/**
 * Pure statistics, without Spring: Welch's test, Fisher's exact test, Mann-Whitney,
 * McNemar, the sequential latency test, the noncentral t distribution and the power
 * analysis, each tested against published reference values.
 */
@NullMarked
package dev.mlcanary.statistics;

import org.jspecify.annotations.NullMarked;
