-- Files waiting to be ingested. Any number of workers claim them with FOR UPDATE SKIP LOCKED, so no file is
-- processed by two workers at once; a claim left by a killed worker is put back after a timeout.
CREATE TABLE ingest_queue (
    id           bigserial PRIMARY KEY,
    collection   text NOT NULL,
    source       text NOT NULL,
    path         text NOT NULL,
    status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    claimed_by   text,
    claimed_at   timestamptz,
    attempts     int NOT NULL DEFAULT 0,
    outcome      text,
    error        text,
    enqueued_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (collection, source)
);
CREATE INDEX ingest_queue_pending ON ingest_queue (id) WHERE status = 'pending';
