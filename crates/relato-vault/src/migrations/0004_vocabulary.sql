-- Relato vault, format 4: codes administrators add to a tier's vocabulary.
-- The seeded codes live in the program; added ones are sealed revisions
-- (labels and definitions in Spanish and English), append-only like every
-- other record, so an annotation's code can always be read with the
-- meaning it had.

CREATE TABLE vocabulary_revisions (
    tier TEXT NOT NULL,
    code TEXT NOT NULL,
    rev  INTEGER NOT NULL,
    sv   INTEGER NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (tier, code, rev)
) STRICT;

CREATE TRIGGER vocabulary_revisions_append_only_u BEFORE UPDATE ON vocabulary_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER vocabulary_revisions_append_only_d BEFORE DELETE ON vocabulary_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
