-- Pooled analysis (docs/fleet.md): every canary.fleet.publish-interval each replica upserts the
-- samples of the deployment period it serves, one statement for its two rows (stable, canary),
-- and a health check on any replica judges the union of the live replicas' rows of the current
-- generation. A replica is live while its heartbeat (replica_heartbeat.last_seen) and its
-- publish (published_at) are younger than canary.fleet.replica-timeout; both are the database's
-- clock.
--
-- latency_nanos holds the window's current contents (a ring of at most canary.window-size
-- samples); recorded_count counts every sample of the period, overwritten ones included, and
-- wrapped says that the ring has overwritten some (the sequential test then stops taking looks).
-- A replica without a canary writes the canary row with version NULL and no samples.
--
-- The shadow-scoring agreement of the period (stable-routed requests scored by the canary too)
-- is on the canary row and zero on the stable row, so that a SUM over rows is the fleet's:
-- pairs, stable said churn and canary did not (McNemar's b), canary said churn and stable did
-- not (c), and the mean |p_stable - p_canary| over the replica's pairs (NaN-free: 0 without pairs).
ALTER TABLE latency_window
    ALTER COLUMN version DROP NOT NULL,
    ADD COLUMN wrapped                  boolean          NOT NULL DEFAULT false,
    ADD COLUMN agreement_pairs          bigint           NOT NULL DEFAULT 0 CHECK (agreement_pairs >= 0),
    ADD COLUMN stable_only_positive     bigint           NOT NULL DEFAULT 0 CHECK (stable_only_positive >= 0),
    ADD COLUMN canary_only_positive     bigint           NOT NULL DEFAULT 0 CHECK (canary_only_positive >= 0),
    ADD COLUMN mean_absolute_difference double precision NOT NULL DEFAULT 0,
    ADD CHECK (recorded_count >= 0 AND error_count >= 0),
    ADD CHECK (role = 'canary' OR agreement_pairs = 0);
