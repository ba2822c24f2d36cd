-- The state a fleet of replicas shares (canary.store=postgres, docs/fleet.md). Flyway applies this
-- once; replicas starting together wait for each other on Flyway's lock.

-- The deployment every replica serves: one row, what deployment.json holds in file mode. The
-- generation is the compare-and-set token of every admin change (UPDATE ... WHERE generation = ?).
-- The first replica inserts the row (INSERT ... ON CONFLICT DO NOTHING), so concurrent first
-- starts agree on one.
CREATE TABLE deployment (
    id                smallint         PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    generation        bigint           NOT NULL CHECK (generation >= 1),
    stable_version    text             NOT NULL CHECK (stable_version <> ''),
    canary_version    text             CHECK (canary_version IS DISTINCT FROM stable_version),
    weight            double precision NOT NULL CHECK (weight > 0 AND weight <= 1),
    slowdown          boolean          NOT NULL,
    canary_start_time timestamptz,
    -- the automated rollout as deployment.json's "rollout" (steps, interval_seconds, step, phase ...)
    rollout           jsonb,
    updated_at        timestamptz      NOT NULL DEFAULT now(),
    updated_by        text             NOT NULL,
    CHECK ((canary_version IS NULL) = (canary_start_time IS NULL)),
    CHECK (rollout IS NULL OR canary_version IS NOT NULL)
);

-- The audit trail of every replica, in one order (id). The event is the JSON that GET
-- /admin/events shows; the columns beside it are for queries. The service keeps the newest
-- 10,000 rows.
CREATE TABLE audit_event (
    id         bigserial   PRIMARY KEY,
    time       timestamptz NOT NULL,
    replica_id text        NOT NULL,
    action     text        NOT NULL,
    outcome    text        NOT NULL,
    status     integer     NOT NULL,
    generation bigint      NOT NULL,
    event      jsonb       NOT NULL
);

-- One row per replica, written every canary.fleet.publish-interval: a replica not seen for
-- canary.fleet.replica-timeout is gone. last_seen is the database's clock, so replicas' clocks
-- need not agree.
CREATE TABLE replica_heartbeat (
    replica_id         text        PRIMARY KEY,
    started_at         timestamptz NOT NULL,
    last_seen          timestamptz NOT NULL,
    applied_generation bigint      NOT NULL,
    loaded_models      text[]      NOT NULL
);

-- The latency windows each replica publishes for the pooled health check (not written yet: a
-- later step). At most canary.window-size samples per replica and role.
CREATE TABLE latency_window (
    replica_id     text               NOT NULL,
    role           text               NOT NULL CHECK (role IN ('stable', 'canary')),
    generation     bigint             NOT NULL,
    version        text               NOT NULL,
    published_at   timestamptz        NOT NULL,
    recorded_count bigint             NOT NULL,
    error_count    bigint             NOT NULL,
    latency_nanos  bigint[]           NOT NULL,
    PRIMARY KEY (replica_id, role)
);
