-- PaperBot on PostgreSQL, schema 1: papers (with the change feed), the title map, tombstones and keyed records.
-- Ids sort byte-wise (COLLATE "C") so All() pages in the same order as LiteDB's.

-- One row: the store's identity, its revision counter (every paper change takes the next value, under this row's
-- lock, so revisions commit in order) and the paper count.
CREATE TABLE paperbot_store (
    id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    store_id text NOT NULL,
    revision bigint NOT NULL DEFAULT 0,
    papers bigint NOT NULL DEFAULT 0
);
INSERT INTO paperbot_store (store_id) VALUES (md5(random()::text || clock_timestamp()::text));

CREATE TABLE papers (
    id text COLLATE "C" PRIMARY KEY,
    title_key text COLLATE "C",
    revision bigint NOT NULL,
    published date,
    featured_on date,
    upvotes integer,
    doc jsonb NOT NULL
);
CREATE UNIQUE INDEX papers_revision ON papers (revision);
CREATE INDEX papers_featured_on ON papers (featured_on);
CREATE INDEX papers_published_unfeatured ON papers (published) WHERE featured_on IS NULL;

-- Normalised title key -> ids stored under it, in the order they were added (the merge rules depend on it).
CREATE TABLE paper_titles (
    title_key text COLLATE "C" PRIMARY KEY,
    ids text[] NOT NULL
);

CREATE TABLE paper_tombstones (
    id text COLLATE "C" PRIMARY KEY,
    revision bigint NOT NULL,
    merged_into text COLLATE "C"
);
CREATE INDEX paper_tombstones_revision ON paper_tombstones (revision);

-- IRecordStore<T>: one collection per record type, the record as jsonb.
CREATE TABLE records (
    collection text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    value jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection, key)
);
