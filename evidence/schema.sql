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
-- link's stable key (made from what its two rows say, not their ids), so it survives every
-- rebuild; a link a person added is kept there too, with the fingerprints of its two rows.
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
    method TEXT,
    source_fp TEXT,
    target_fp TEXT,
    note TEXT,
    at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS problems (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);

-- One row per original recommendation (a stand-in when its inspection is not stored), with its
-- closure state as of the newest document of its authority. `evidence status` gives the same
-- states and also takes --as-of. Recreated on every open, so a store has the current definition.
DROP VIEW IF EXISTS journeys;
CREATE VIEW journeys AS
WITH live AS (
    SELECT * FROM links WHERE confirmed IS NULL OR confirmed != 0
),
docs AS (
    SELECT d.id, d.doc_type, d.title, coalesce(d.authority, p.authority) AS authority,
           coalesce(d.date, p.date) AS date,
           d.doc_type IN ('inspection_report', 'inspection_letter') AS is_inspection
    FROM documents d LEFT JOIN documents p ON p.id = d.parent_id
),
copies AS (
    SELECT l.source_id AS id, l.target_id AS kept_id
    FROM live l
    JOIN recommendations s ON s.id = l.source_id JOIN docs sd ON sd.id = s.document_id
    JOIN recommendations t ON t.id = l.target_id JOIN docs td ON td.id = t.document_id
    WHERE l.relation = 'restates' AND l.source_table = 'recommendations' AND sd.is_inspection AND td.is_inspection
),
originals AS (
    SELECT r.id, r.document_id, r.label, r.position, r.kind, r.body, r.text, r.page, d.authority,
           CASE WHEN d.is_inspection THEN d.date END AS inspection_date, d.date AS document_date,
           NOT d.is_inspection AS stands_in
    FROM recommendations r JOIN docs d ON d.id = r.document_id
    WHERE r.id NOT IN (SELECT id FROM copies)
      AND ((d.is_inspection AND r.kind IN ('recommendation', 'key_finding'))
        OR (NOT d.is_inspection AND r.kind IN ('key_finding', 'restatement')
            AND r.id NOT IN (SELECT source_id FROM live WHERE source_table = 'recommendations')
            AND (r.status IS NOT NULL OR r.id IN (SELECT target_id FROM live))))
),
events AS (
    SELECT coalesce(c.kept_id, l.target_id) AS original_id, l.relation, l.source_table,
           sd.date AS date, sr.status, sa.target_date,
           -- a month-only target ("March 2015", stored as its 1st) is due by the month's end
           CASE WHEN substr(sa.target_date, 9, 2) = '01' THEN date(sa.target_date, '+1 month', '-1 day')
                ELSE sa.target_date END AS due
    FROM live l
    LEFT JOIN copies c ON c.id = l.target_id
    LEFT JOIN recommendations sr ON l.source_table = 'recommendations' AND sr.id = l.source_id
    LEFT JOIN actions sa ON l.source_table = 'actions' AND sa.id = l.source_id
    LEFT JOIN area_links sl ON l.source_table = 'area_links' AND sl.id = l.source_id
    JOIN docs sd ON sd.id = coalesce(sr.document_id, sa.document_id, sl.document_id)
    WHERE l.target_table = 'recommendations' AND l.source_id NOT IN (SELECT id FROM copies)
    UNION ALL  -- a stand-in's own status is a claim made in its own document
    SELECT o.id, 'claims', 'recommendations', o.document_date, r.status, NULL, NULL
    FROM originals o JOIN recommendations r ON r.id = o.id
    WHERE o.stands_in AND r.status IS NOT NULL
),
claims AS (
    SELECT original_id, date, status,
           row_number() OVER (
               PARTITION BY original_id
               ORDER BY date DESC,
                        CASE status WHEN 'outstanding' THEN 0 WHEN 'in progress' THEN 1 WHEN 'monitoring' THEN 2 ELSE 3 END
           ) AS n
    FROM events WHERE status IS NOT NULL
),
summary AS (
    SELECT o.*,
           (SELECT max(date) FROM docs WHERE authority = o.authority) AS as_of,
           (SELECT count(*) FROM events e WHERE e.original_id = o.id AND e.relation != 'claims') AS links,
           (SELECT count(*) FROM events e WHERE e.original_id = o.id AND e.source_table = 'actions') AS actions,
           (SELECT max(target_date) FROM events e WHERE e.original_id = o.id AND e.source_table = 'actions') AS latest_target_date,
           (SELECT min(date) FROM events e WHERE e.original_id = o.id AND e.relation = 'recurs_in') AS recurred_on,
           c.status AS latest_claim, c.date AS latest_claim_date
    FROM originals o LEFT JOIN claims c ON c.original_id = o.id AND c.n = 1
)
SELECT id, authority, inspection_date, coalesce(label, '#' || position) AS label, kind, body, text, page,
       actions, latest_target_date, latest_claim, latest_claim_date, recurred_on, links, stands_in, as_of,
       CASE
           WHEN recurred_on IS NOT NULL THEN 'recurred'
           WHEN latest_claim = 'met' AND EXISTS (
               SELECT 1 FROM docs d JOIN recommendations r ON r.document_id = d.id
               WHERE d.is_inspection AND d.authority = summary.authority AND d.date > summary.latest_claim_date
                 AND r.id NOT IN (SELECT id FROM copies)
           ) THEN 'closed'
           WHEN latest_claim = 'met' THEN 'reported met'
           WHEN latest_claim = 'monitoring' THEN 'monitoring'
           WHEN EXISTS (
               SELECT 1 FROM events e WHERE e.original_id = summary.id AND e.source_table = 'actions'
                 AND e.due < summary.as_of
           ) THEN 'overdue'
           WHEN links > 0 THEN 'planned'
           ELSE 'open'
       END AS state
FROM summary;
