-- Relato vault, format 1.
-- Plaintext columns hold only ids, foreign keys, sizes and ordering; every
-- `body` is sealed (XChaCha20-Poly1305, associated data = vault id, table,
-- row id, `sv`). `sv` is the schema version the row was sealed under.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value ANY NOT NULL
) STRICT;

CREATE TABLE users (
    id   TEXT PRIMARY KEY,
    sv   INTEGER NOT NULL,
    body BLOB NOT NULL               -- name, role, institution, created
) STRICT;

-- One slot per user passphrase plus the recovery slot. `wrapped` is the
-- master key (and the holder's signing key) under an Argon2id-derived key;
-- it is erased (NULL, zeroed by secure_delete) when the slot is revoked.
CREATE TABLE key_slots (
    id       INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('user', 'recovery')),
    user_id  TEXT NOT NULL REFERENCES users(id),
    name_tag BLOB UNIQUE,            -- SHA-256 of vault id and login name; NULL for recovery
    kdf      TEXT NOT NULL,          -- Argon2id parameters and salt (JSON)
    wrapped  BLOB
) STRICT;

-- Ed25519 public keys in clear; the sealed body holds the organisation's
-- certificate of the key.
CREATE TABLE signing_keys (
    key_id     TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    public_key BLOB NOT NULL,
    sv         INTEGER NOT NULL,
    body       BLOB NOT NULL
) STRICT;

-- Sealed secrets that are not a user's (the organisation signing key).
CREATE TABLE secrets (
    id   TEXT PRIMARY KEY,
    sv   INTEGER NOT NULL,
    body BLOB NOT NULL
) STRICT;

CREATE TABLE cases (
    id TEXT PRIMARY KEY
) STRICT;

CREATE TABLE case_revisions (
    case_id TEXT NOT NULL REFERENCES cases(id),
    rev     INTEGER NOT NULL,
    sv      INTEGER NOT NULL,
    body    BLOB NOT NULL,
    PRIMARY KEY (case_id, rev)
) STRICT;

CREATE TABLE sessions (
    id      TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id)
) STRICT;

CREATE TABLE session_revisions (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    rev        INTEGER NOT NULL,
    sv         INTEGER NOT NULL,
    body       BLOB NOT NULL,
    PRIMARY KEY (session_id, rev)
) STRICT;

-- Custody chains: 'vault' for users and keys, a case id for everything else.
CREATE TABLE custody (
    chain TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    sv    INTEGER NOT NULL,
    body  BLOB NOT NULL,             -- the line's exact bytes and its signature
    PRIMARY KEY (chain, seq)
) STRICT;

-- Encrypted streams (audio, imported files). `chunk_count` is set once, when
-- the final chunk is written; until then the stream is unfinished.
CREATE TABLE streams (
    id          TEXT PRIMARY KEY,
    chunk_count INTEGER
) STRICT;

CREATE TABLE stream_chunks (
    stream_id TEXT NOT NULL REFERENCES streams(id),
    idx       INTEGER NOT NULL,
    body      BLOB NOT NULL,
    PRIMARY KEY (stream_id, idx)
) STRICT;

-- Nothing is overwritten: revisions, custody lines and stream chunks are
-- append-only. (This guards against our own bugs; tampering by someone with
-- the file is caught by the seals, the chain and the signatures instead.)
CREATE TRIGGER case_revisions_append_only_u BEFORE UPDATE ON case_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER case_revisions_append_only_d BEFORE DELETE ON case_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER session_revisions_append_only_u BEFORE UPDATE ON session_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER session_revisions_append_only_d BEFORE DELETE ON session_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER custody_append_only_u BEFORE UPDATE ON custody BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER custody_append_only_d BEFORE DELETE ON custody BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER stream_chunks_append_only_u BEFORE UPDATE ON stream_chunks BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER stream_chunks_append_only_d BEFORE DELETE ON stream_chunks BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER streams_count_once BEFORE UPDATE ON streams
    WHEN OLD.chunk_count IS NOT NULL BEGIN SELECT RAISE(ABORT, 'append-only'); END;
