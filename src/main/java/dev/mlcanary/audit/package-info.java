/**
 * The audit trail: every admin action, refused ones included, with who asked, what
 * changed and how it ended, kept in {@code events.jsonl} (or, in a fleet, in the events
 * table every replica shares) and shown by {@code GET /admin/events}.
 */
@NullMarked
package dev.mlcanary.audit;

import org.jspecify.annotations.NullMarked;
