-- Relato vault, format 5: evidence bundles received from another vault.
-- A received bundle's originals become imported recordings of a case
-- here; what made it trustworthy there (its signed manifest, its custody
-- chain with the signatures, its keys and certificates, its derivatives)
-- is kept whole, sealed, so that later bundles of the case can carry the
-- history back to the first recording. Append-only, like every record.

CREATE TABLE received_bundles (
    id      TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    sv      INTEGER NOT NULL,
    body    BLOB NOT NULL
) STRICT;

CREATE TRIGGER received_bundles_append_only_u BEFORE UPDATE ON received_bundles BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER received_bundles_append_only_d BEFORE DELETE ON received_bundles BEGIN SELECT RAISE(ABORT, 'append-only'); END;
