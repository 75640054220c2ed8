-- Relato vault, format 2: recordings.
-- A recording is the original audio of a session: a stream of the bytes as
-- the device delivered them (or as the imported file was), a stream of
-- waveform peaks, sealed revisions of its metadata (started → sealed or
-- recovered) and sealed events appended while it was made (markers, phase
-- boundaries, gaps, dropped frames, pauses).

CREATE TABLE recordings (
    id              TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL REFERENCES sessions(id),
    stream_id       TEXT NOT NULL REFERENCES streams(id),
    peaks_stream_id TEXT REFERENCES streams(id)
) STRICT;

CREATE TABLE recording_revisions (
    recording_id TEXT NOT NULL REFERENCES recordings(id),
    rev          INTEGER NOT NULL,
    sv           INTEGER NOT NULL,
    body         BLOB NOT NULL,
    PRIMARY KEY (recording_id, rev)
) STRICT;

CREATE TABLE recording_events (
    recording_id TEXT NOT NULL REFERENCES recordings(id),
    seq          INTEGER NOT NULL,
    sv           INTEGER NOT NULL,
    body         BLOB NOT NULL,
    PRIMARY KEY (recording_id, seq)
) STRICT;

CREATE TRIGGER recording_revisions_append_only_u BEFORE UPDATE ON recording_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER recording_revisions_append_only_d BEFORE DELETE ON recording_revisions BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER recording_events_append_only_u BEFORE UPDATE ON recording_events BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER recording_events_append_only_d BEFORE DELETE ON recording_events BEGIN SELECT RAISE(ABORT, 'append-only'); END;
