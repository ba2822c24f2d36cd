/**
 * Where the state that outlives a process is kept: {@code canary.store}, {@code file}
 * (the default, one process and its state directory) or {@code postgres} (a fleet of
 * replicas sharing one database), and the plumbing of the second: the replica's identity,
 * the connection pool with its timeouts, the Flyway migrations, notifications on a
 * dedicated connection, the one line a database that refuses the service gets at startup,
 * and the 503 of an outage. Depends on no feature; {@code deployment} and {@code audit}
 * keep their state through it.
 */
@NullMarked
package dev.mlcanary.store;

import org.jspecify.annotations.NullMarked;
