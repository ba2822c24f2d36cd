/**
 * Models as data: the manifests, the model store that loads only verified files from the
 * model directory, and the trainer that writes the bundled models reproducibly.
 */
@NullMarked
package dev.mlcanary.model;

import org.jspecify.annotations.NullMarked;
