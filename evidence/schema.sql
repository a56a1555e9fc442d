-- The store's tables, created explicitly with keys and foreign keys. Deleting a document
-- deletes its papers (a pack's parts) and every row extracted from it.
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    title TEXT,
    doc_type TEXT NOT NULL,
    authority TEXT,
    date TEXT,
    date_text TEXT,
    framework TEXT,
    parent_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    pages INTEGER,
    first_page INTEGER,
    last_page INTEGER,
    first_line INTEGER,
    last_line INTEGER,
    extractor_version TEXT NOT NULL,
    built_at TEXT
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE INDEX IF NOT EXISTS documents_parent ON documents(parent_id);
CREATE INDEX IF NOT EXISTS documents_authority ON documents(authority, date);

CREATE TABLE IF NOT EXISTS recommendations (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    bbox TEXT,
    position INTEGER NOT NULL,
    label TEXT,
    number INTEGER,
    kind TEXT NOT NULL,
    body TEXT,
    section TEXT,
    text TEXT NOT NULL,
    status TEXT,
    status_text TEXT,
    timescale TEXT,
    sub_items TEXT,
    paragraphs TEXT,
    objectives TEXT,
    outcomes TEXT,
    measured_by TEXT
);
CREATE INDEX IF NOT EXISTS recommendations_document ON recommendations(document_id);

CREATE TABLE IF NOT EXISTS actions (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    bbox TEXT,
    area_label TEXT,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    milestones TEXT,
    target_date TEXT,
    target_date_text TEXT,
    lead TEXT,
    leads TEXT
);
CREATE INDEX IF NOT EXISTS actions_document ON actions(document_id);

CREATE TABLE IF NOT EXISTS findings (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    bbox TEXT,
    kind TEXT NOT NULL,
    theme TEXT,
    section TEXT,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_document ON findings(document_id);

CREATE TABLE IF NOT EXISTS judgements (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    bbox TEXT,
    area TEXT NOT NULL,
    grade TEXT NOT NULL,
    grade_text TEXT
);
CREATE INDEX IF NOT EXISTS judgements_document ON judgements(document_id);

CREATE TABLE IF NOT EXISTS measures (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    bbox TEXT,
    ref TEXT,
    name TEXT NOT NULL,
    polarity TEXT,
    target TEXT,
    "values" TEXT,
    rag TEXT,
    table_title TEXT,
    other TEXT
);
CREATE INDEX IF NOT EXISTS measures_document ON measures(document_id);

CREATE TABLE IF NOT EXISTS area_links (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    bbox TEXT,
    area TEXT,
    labels TEXT,
    table_title TEXT
);
CREATE INDEX IF NOT EXISTS area_links_document ON area_links(document_id);

-- Links are rebuilt on every build; a person's verdict lives in link_verdicts under the
-- link's stable key, so it survives every rebuild.
CREATE TABLE IF NOT EXISTS links (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    source_table TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_table TEXT NOT NULL,
    target_id TEXT NOT NULL,
    relation TEXT NOT NULL,
    method TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    confirmed INTEGER
);
CREATE INDEX IF NOT EXISTS links_source ON links(source_table, source_id);
CREATE INDEX IF NOT EXISTS links_target ON links(target_table, target_id);

CREATE TABLE IF NOT EXISTS link_verdicts (
    key TEXT PRIMARY KEY,
    confirmed INTEGER NOT NULL,
    source_table TEXT,
    source_id TEXT,
    target_table TEXT,
    target_id TEXT,
    relation TEXT,
    note TEXT,
    at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS problems (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
