-- Models uploaded through POST /admin/models in postgres mode (docs/bring-your-own-model.md), so
-- that every replica can load a model uploaded through any one of them. The document is the
-- portable JSON (docs/model-format.md) in its canonical bytes, the SHA-256 of which the manifest
-- holds; a replica verifies both on every load, as it does for a file of the model directory.
-- A version names one model for good: a row is inserted once and only ever deleted.
CREATE TABLE uploaded_model (
    version     text        PRIMARY KEY CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    manifest    jsonb       NOT NULL,
    document    bytea       NOT NULL CHECK (octet_length(document) <= 65536),
    sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    uploaded_at timestamptz NOT NULL,
    uploaded_by text        NOT NULL
);
