-- Relato vault, format 3: transcripts and annotations.
-- A session's transcript is a sequence of sealed revisions, each the whole
-- document as saved (segments with times, speakers and text), with its
-- author, time and the SHA-256 of its canonical text. Each annotation is a
-- sequence of sealed revisions too (an edit or a deletion is a new one).
-- Nothing is overwritten: every revision stays readable and comparable.

CREATE TABLE transcript_revisions (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    rev        INTEGER NOT NULL,
    sv         INTEGER NOT NULL,
    body       BLOB NOT NULL,
    PRIMARY KEY (session_id, rev)
) STRICT;

CREATE TRIGGER transcript_revisions_append_only_u BEFORE UPDATE ON transcript_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER transcript_revisions_append_only_d BEFORE DELETE ON transcript_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;

CREATE TABLE annotation_revisions (
    annotation_id TEXT NOT NULL,
    session_id    TEXT NOT NULL REFERENCES sessions(id),
    rev           INTEGER NOT NULL,
    sv            INTEGER NOT NULL,
    body          BLOB NOT NULL,
    PRIMARY KEY (annotation_id, rev)
) STRICT;

CREATE INDEX annotation_revisions_by_session ON annotation_revisions (session_id);

CREATE TRIGGER annotation_revisions_append_only_u BEFORE UPDATE ON annotation_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER annotation_revisions_append_only_d BEFORE DELETE ON annotation_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
