-- The store's schema. Bump SCHEMA_VERSION in lib/store.py when this changes:
-- a store written under another version is rebuilt, never misread.
-- Documents are keyed by content hash (doc_id) and parsed once, whatever
-- collection they belong to; collections only list which documents they hold.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,      -- hex sha256 of the document text
    source VARCHAR NOT NULL,         -- path or URL first seen
    title VARCHAR,
    outlet VARCHAR,
    date VARCHAR,                    -- ISO date when known
    author VARCHAR,
    kind VARCHAR,                    -- text | html | url
    n_stories INTEGER,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS collections (
    collection_id VARCHAR PRIMARY KEY,   -- "demo", or an unguessable token
    read_only BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS collection_documents (
    collection_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    source VARCHAR,                  -- path or URL in this collection
    PRIMARY KEY (collection_id, doc_id)
);

CREATE TABLE IF NOT EXISTS stories (
    story_id VARCHAR PRIMARY KEY,    -- doc_id || ':' || story_idx
    doc_id VARCHAR NOT NULL,
    story_idx INTEGER NOT NULL,
    headline VARCHAR,
    paragraphs VARCHAR[],
    captions VARCHAR[],
    n_entities INTEGER,
    n_quotes INTEGER
);

CREATE TABLE IF NOT EXISTS entities (
    story_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    start_char INTEGER,              -- offsets in the story text (paragraphs joined by a blank line)
    end_char INTEGER,
    text VARCHAR,
    label VARCHAR,
    canonical VARCHAR,
    country VARCHAR,
    country_code VARCHAR
);

CREATE TABLE IF NOT EXISTS quotes (
    quote_id VARCHAR PRIMARY KEY,    -- story_id || ':' || quote_idx
    story_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    quote_idx INTEGER,
    text VARCHAR,
    kind VARCHAR,
    speaker VARCHAR,
    speaker_mention VARCHAR,
    cue VARCHAR,
    spans INTEGER[][],               -- content pieces, [[start, end], ...]
    speaker_start INTEGER,
    speaker_end INTEGER,
    cue_start INTEGER,
    cue_end INTEGER,
    paragraph INTEGER,               -- index of the paragraph where the quote starts
    speaker_description VARCHAR,     -- an unnamed source as described ("Home Office spokesman")
    speaker_body VARCHAR             -- the body an unnamed source speaks for ("Home Office")
);

CREATE INDEX IF NOT EXISTS entities_story ON entities (story_id);
CREATE INDEX IF NOT EXISTS entities_canonical ON entities (canonical);
CREATE INDEX IF NOT EXISTS quotes_story ON quotes (story_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes (speaker);
