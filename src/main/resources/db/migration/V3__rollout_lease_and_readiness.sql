-- The rollout lease, readiness and sample counts of each replica (docs/fleet.md).

-- Who holds the rollout lease: the lease itself is a session-level advisory lock
-- (pg_try_advisory_lock(0x6d6c6361, 1)); the holder writes its replica id and its session's process
-- id here when it takes it. A row counts only while that session holds the lock (pg_locks), so a
-- row left by a replica that died names nobody.
CREATE TABLE rollout_lease (
    id          smallint    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    replica_id  text        NOT NULL,
    backend_pid integer     NOT NULL,
    acquired_at timestamptz NOT NULL
);

-- What GET /admin/fleet shows of every replica besides what V1 wrote: the samples of its current
-- latency windows (as its last heartbeat saw them) and, when it cannot serve the shared deployment,
-- why (NULL when it is ready).
ALTER TABLE replica_heartbeat
    ADD COLUMN stable_samples integer NOT NULL DEFAULT 0,
    ADD COLUMN canary_samples integer NOT NULL DEFAULT 0,
    ADD COLUMN problem        text;
