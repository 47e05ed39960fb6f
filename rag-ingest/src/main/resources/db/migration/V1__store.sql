-- Groundwork's PostgreSQL store: the system of record for collections, documents, chunks and embeddings.
CREATE EXTENSION IF NOT EXISTS vector;

-- One row: the store's identity (a BM25 mirror built from another database must not be caught up from this one)
-- and the vector size, fixed by the first document stored (or by configuration) because an HNSW index needs it.
CREATE TABLE store_info (
    id          int PRIMARY KEY CHECK (id = 1),
    store_id    uuid NOT NULL,
    dimensions  int CHECK (dimensions > 0)
);
INSERT INTO store_info (id, store_id) VALUES (1, gen_random_uuid());

CREATE TABLE collections (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
    id               text PRIMARY KEY,
    collection_id    bigint NOT NULL REFERENCES collections (id),
    source           text NOT NULL,
    title            text NOT NULL,
    media_type       text NOT NULL,
    content_hash     text NOT NULL,
    metadata         jsonb NOT NULL DEFAULT '{}',
    acl              text[] NOT NULL DEFAULT '{}',
    status           text NOT NULL DEFAULT 'indexed' CHECK (status IN ('indexed')),
    version          int NOT NULL CHECK (version > 0),
    chunk_count      int NOT NULL CHECK (chunk_count >= 0),
    embedding_model  text NOT NULL,
    indexed_at       timestamptz NOT NULL,
    UNIQUE (collection_id, source)
);

-- The embedding column gets its dimension (vector(n)) and the HNSW index when the dimension is fixed.
CREATE TABLE chunks (
    id               text PRIMARY KEY,
    document_id      text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    collection_id    bigint NOT NULL REFERENCES collections (id),
    ordinal          int NOT NULL CHECK (ordinal >= 0),
    heading_path     text[] NOT NULL DEFAULT '{}',
    page             int,
    start_offset     int NOT NULL,
    end_offset       int NOT NULL,
    text             text NOT NULL,
    acl              text[] NOT NULL DEFAULT '{}',
    metadata         jsonb NOT NULL DEFAULT '{}',
    embedding        vector NOT NULL,
    embedding_model  text NOT NULL,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX chunks_collection ON chunks (collection_id);
CREATE INDEX chunks_model ON chunks (embedding_model);

-- Every put and delete, in commit order (writers take an advisory lock before appending, see PostgresIndex):
-- BM25 mirrors catch up from the last sequence they applied.
CREATE TABLE changes (
    seq          bigserial PRIMARY KEY,
    document_id  text NOT NULL,
    collection   text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('put', 'delete')),
    version      int NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now()
);
-- A document's next version follows its last change, even after a delete.
CREATE INDEX changes_document ON changes (document_id, version);

CREATE TABLE ingestion_runs (
    id           bigserial PRIMARY KEY,
    collection   text NOT NULL,
    source_root  text NOT NULL,
    worker       text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    report       jsonb
);
