/**
 * The fleet as one replica sees it: {@code GET /admin/fleet}, every replica with its
 * liveness, the generation it has applied, whether it drives rollouts (the rollout
 * lease), the models it has loaded, whether it is ready and the samples it last
 * published. In file mode the one process is the whole fleet.
 */
@NullMarked
package dev.mlcanary.fleet;

import org.jspecify.annotations.NullMarked;
