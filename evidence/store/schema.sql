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
    -- "day", or "month" when only the month is printed (date is then its 1st)
    date_precision TEXT,
    framework TEXT,
    -- an inspection's subject ("the multi-agency response to abuse and neglect") and deep dive
    theme TEXT,
    deep_dive TEXT,
    parent_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    pages INTEGER,
    first_page INTEGER,
    last_page INTEGER,
    first_line INTEGER,
    last_line INTEGER,
    extractor_version TEXT NOT NULL,
    -- issue #20: the trust or company running the council's services; the sections found and
    -- read as empty (JSON list of reasons, listed in problems by every build)
    provider TEXT,
    unread TEXT,
    -- issue #24: what a person should know of the file (JSON list of {"kind": "file" or
    -- "page", "page", "note"}: damage seen in its bytes, a page read as garbled, a page that
    -- lost its text, a report with no recommendations), on the file's own row (parent_id
    -- NULL); listed in problems by every build, like unread
    notes TEXT,
    built_at TEXT
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);

-- Everything a person should know of a stored file, one row per note: `file` for a note on
-- the whole file (damage seen in its bytes, a report with no recommendations), `page` for one
-- on a page (`page`), `unread` for a section of it (or of a pack's papers) read as empty. A
-- note is stored as {"kind", "page", "note"}; a store made before held the note alone, whose
-- kind is read from its words ("page 4 gives no text"). Every build lists them in problems.
CREATE VIEW IF NOT EXISTS document_notes AS
SELECT d.id AS document_id, d.path,
    CASE WHEN n.type = 'object' THEN json_extract(n.value, '$.kind')
        WHEN n.value GLOB 'page [0-9]*' THEN 'page' ELSE 'file' END AS kind,
    CASE WHEN n.type = 'object' THEN json_extract(n.value, '$.note') ELSE n.value END AS note,
    d.first_page, n.key AS position,
    CASE WHEN n.type = 'object' THEN json_extract(n.value, '$.page')
        WHEN n.value GLOB 'page [0-9]*' THEN CAST(substr(n.value, 6) AS INTEGER) END AS page
FROM documents d, json_each(d.notes) n
WHERE d.notes IS NOT NULL
UNION ALL
SELECT coalesce(d.parent_id, d.id), d.path, 'unread', u.value, d.first_page, u.key, NULL
FROM documents d, json_each(d.unread) u
WHERE d.unread IS NOT NULL;

-- A file is known by its content: one documents row for its bytes, and one row here for every
-- place it is found (a copy in a second folder, a link). documents.path is one of them; the
-- document goes when its last place is gone.
CREATE TABLE IF NOT EXISTS document_paths (
    path TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seen_at TEXT
);
CREATE INDEX IF NOT EXISTS document_paths_document ON document_paths(document_id);
CREATE INDEX IF NOT EXISTS documents_parent ON documents(parent_id);
CREATE INDEX IF NOT EXISTS documents_authority ON documents(authority, date);

CREATE TABLE IF NOT EXISTS recommendations (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    -- a text document's line where the item starts (NULL in a PDF)
    line INTEGER,
    bbox TEXT,
    position INTEGER NOT NULL,
    label TEXT,
    number INTEGER,
    kind TEXT NOT NULL,
    body TEXT,
    addressed_to TEXT,
    section TEXT,
    theme TEXT,
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
    -- a text document's line where the item starts (NULL in a PDF)
    line INTEGER,
    bbox TEXT,
    area_label TEXT,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    milestones TEXT,
    target_date TEXT,
    target_date_text TEXT,
    -- "day", or "month" when only the month is printed (target_date is then its 1st)
    target_date_precision TEXT,
    lead TEXT,
    leads TEXT
);
CREATE INDEX IF NOT EXISTS actions_document ON actions(document_id);

CREATE TABLE IF NOT EXISTS findings (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    -- a text document's line where the item starts (NULL in a PDF)
    line INTEGER,
    bbox TEXT,
    kind TEXT,  -- issue #20: NULL where a sentence's polarity cannot be told
    theme TEXT,
    section TEXT,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_document ON findings(document_id);

CREATE TABLE IF NOT EXISTS judgements (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    -- a text document's line where the item starts (NULL in a PDF)
    line INTEGER,
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
    -- a text document's line where the item starts (NULL in a PDF)
    line INTEGER,
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
    -- a text document's line where the item starts (NULL in a PDF)
    line INTEGER,
    bbox TEXT,
    area TEXT,
    labels TEXT,
    table_title TEXT
);
CREATE INDEX IF NOT EXISTS area_links_document ON area_links(document_id);

-- Links are rebuilt on every build. A link has one identity, its key: its relation between
-- the fingerprints of its two rows (what they say, not their ids), so it survives every
-- rebuild; a person's verdict lives in link_verdicts under it, and a link a person added is
-- kept there too, with the fingerprints of its two rows.
CREATE TABLE IF NOT EXISTS links (
    id TEXT PRIMARY KEY,
    -- the same as id (kept for saved queries and `evidence review`, which name it key)
    key TEXT NOT NULL UNIQUE,
    source_table TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_table TEXT NOT NULL,
    target_id TEXT NOT NULL,
    relation TEXT NOT NULL,
    method TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    confirmed INTEGER,
    source_fp TEXT,
    target_fp TEXT,
    -- a person's word on it, from link_verdicts: yes, partly (confirmed = 1) or no
    verdict TEXT
);
CREATE INDEX IF NOT EXISTS links_source ON links(source_table, source_id);
CREATE INDEX IF NOT EXISTS links_target ON links(target_table, target_id);

-- Each link with the item it joins from (its text, label and document, whichever table it is
-- in) and the recommendation it joins to: the one place that join is written.
CREATE VIEW IF NOT EXISTS link_items AS
select l.*,
       coalesce(r.label, a.label) as source_label,
       coalesce(r.text, a.text, al.area, f.text) as source_text,
       al.area as source_area,
       sd.id as source_document_id, sd.title as source_document, sd.doc_type as source_type,
       sd.date as source_date,
       t.label as target_label, t.text as target_text, t.position as target_position,
       td.id as target_document_id, td.title as target_document, td.authority as authority,
       td.date as target_date
from links l
left join recommendations r on l.source_table = 'recommendations' and r.id = l.source_id
left join actions a on l.source_table = 'actions' and a.id = l.source_id
left join area_links al on l.source_table = 'area_links' and al.id = l.source_id
left join findings f on l.source_table = 'findings' and f.id = l.source_id
left join documents sd on sd.id = coalesce(r.document_id, a.document_id, al.document_id, f.document_id)
left join recommendations t on l.target_table = 'recommendations' and t.id = l.target_id
left join documents td on td.id = t.document_id;

CREATE TABLE IF NOT EXISTS link_verdicts (
    key TEXT PRIMARY KEY,
    confirmed INTEGER NOT NULL,
    source_table TEXT,
    source_id TEXT,
    target_table TEXT,
    target_id TEXT,
    relation TEXT,
    method TEXT,
    source_fp TEXT,
    target_fp TEXT,
    note TEXT,
    at TEXT NOT NULL,
    -- the person's word: yes, partly (a yes: confirmed = 1) or no; NULL for one given before words were kept
    verdict TEXT
);

-- The linker's reading of each text of a document (its normalised words, and those of its head:
-- see link/text.py), made where the document was extracted, so that linking an unchanged store
-- need not read every text again. `normaliser` names the code, vocabulary and spaCy that made
-- it: a reading made by another is not used, and is made again.
CREATE TABLE IF NOT EXISTS readings (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    words TEXT NOT NULL,
    head TEXT NOT NULL,
    normaliser TEXT NOT NULL,
    PRIMARY KEY (document_id, text)
);

CREATE TABLE IF NOT EXISTS problems (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);

-- One row per original recommendation (a stand-in when its inspection is not stored), with its
-- closure state as of the newest document of its authority, and one row per event of its
-- journey. Written by Python (evidence/journey.py, the one place states are worked out) at the
-- end of every build and after every verdict; `evidence status --as-of` works them out for
-- another date. A store made before held a view named journeys: the store drops it first.
CREATE TABLE IF NOT EXISTS journeys (
    id TEXT PRIMARY KEY REFERENCES recommendations(id) ON DELETE CASCADE,
    authority TEXT,
    inspection_date TEXT,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT,
    text TEXT NOT NULL,
    short_text TEXT NOT NULL,
    page INTEGER,
    actions INTEGER NOT NULL,
    latest_target_date TEXT,
    -- "month" when the latest target date names only its month (shown as the month, due by its end)
    latest_target_date_precision TEXT,
    latest_claim TEXT,
    latest_claim_date TEXT,
    recurred_on TEXT,
    links INTEGER NOT NULL,
    stands_in INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    state TEXT NOT NULL,
    target_date_slips INTEGER NOT NULL,
    reported_met_then_recurred INTEGER NOT NULL,
    document_id TEXT NOT NULL,
    position INTEGER,
    -- who decided the state: 'person' (a verdict), 'tool' (the linker alone), or NULL
    decided_by TEXT,
    -- 1 when a person settled every candidate repeat of it; candidates nobody has settled
    reviewed INTEGER,
    to_settle INTEGER,
    -- 1 when it recurred only on a person's "partly": a later inspection repeats part of it
    in_part INTEGER
);
CREATE INDEX IF NOT EXISTS journeys_authority ON journeys(authority, state);

-- Oldest first (seq); a link a person rejected is here with confirmed = 0 and counts for nothing.
-- The item is named as links name theirs (source_table, source_id).
CREATE TABLE IF NOT EXISTS journey_events (
    original_id TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    date TEXT,
    document TEXT,
    document_id TEXT NOT NULL,
    doc_type TEXT,
    path TEXT,
    page INTEGER,
    source_table TEXT NOT NULL,
    source_id TEXT NOT NULL,
    kind TEXT,
    label TEXT,
    position INTEGER,
    text TEXT,
    status TEXT,
    status_text TEXT,
    target_date TEXT,
    target_date_text TEXT,
    lead TEXT,
    relation TEXT NOT NULL,
    method TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    confirmed INTEGER,
    -- a person's word: yes, partly or no (NULL: nobody has looked)
    verdict TEXT,
    -- the link's key, which `evidence review` takes (NULL: a claim a paper makes of its own)
    key TEXT,
    PRIMARY KEY (original_id, seq)
);
CREATE INDEX IF NOT EXISTS journey_events_source ON journey_events(source_id);

-- One row per build. A build writes the store in one transaction, so a reader sees the last
-- finished build or the new one, never half of it; a build that was stopped (kill -9, power
-- cut) leaves its row without finished_at, and the next build (or `evidence doctor`) says so.
CREATE TABLE IF NOT EXISTS builds (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,
    pid INTEGER,
    host TEXT,
    folders TEXT,
    summary TEXT
);
