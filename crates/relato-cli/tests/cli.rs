//! The `relato` binary as a script would use it: output on stdout, one line
//! on stderr for failures, distinct exit statuses, and nothing lost or
//! changed by bad input. These run the real binary with real (default)
//! Argon2id parameters, against vaults in temporary directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ADMIN_PASS: &str = "una frase de acceso larga";
const IRMA_PASS: &str = "otra frase de acceso larga";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("vault.relato")
    }

    fn file(&self, name: &str, content: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    /// Runs `relato` with the vault, in English unless the args say otherwise.
    fn run(&self, args: &[&str]) -> Output {
        self.run_lang("en", args)
    }

    fn run_lang(&self, lang: &str, args: &[&str]) -> Output {
        let mut all = vec!["--vault", self.vault().to_str().unwrap().to_owned().leak()];
        all.extend_from_slice(args);
        raw(lang, &all)
    }
}

fn raw(lang: &str, args: &[&str]) -> Output {
    {
        Command::new(env!("CARGO_BIN_EXE_relato"))
            .args(args)
            .env("RELATO_LANG", lang)
            .env_remove("RELATO_USER")
            .env_remove("RELATO_PASSPHRASE_FILE")
            .env_remove("RELATO_VAULT")
            .output()
            .unwrap()
    }
}

impl Env {
    fn as_admin(&self, args: &[&str]) -> Output {
        let pass = self.file("admin.pass", &format!("{ADMIN_PASS}\n"));
        let mut all = vec!["--user", "Ana", "--passphrase-file", pass.to_str().unwrap()];
        all.extend_from_slice(args);
        self.run(&all)
    }

    fn as_irma(&self, args: &[&str]) -> Output {
        let pass = self.file("irma.pass", IRMA_PASS);
        let mut all = vec!["--user", "Irma", "--passphrase-file", pass.to_str().unwrap()];
        all.extend_from_slice(args);
        self.run(&all)
    }

    fn init(&self) -> PathBuf {
        let pass = self.file("admin.pass", &format!("{ADMIN_PASS}\n"));
        let code = self.dir.path().join("recovery.txt");
        ok(&self.run(&[
            "--passphrase-file",
            pass.to_str().unwrap(),
            "init",
            "--org",
            "ODI",
            "--admin",
            "Ana",
            "--recovery-out",
            code.to_str().unwrap(),
        ]));
        let irma = self.file("irma.newpass", IRMA_PASS);
        ok(&self.as_admin(&["user", "add", "--name", "Irma", "--role", "interviewer", "--new-passphrase-file", irma.to_str().unwrap()]));
        code
    }
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}\n{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A failure: its exit status, its single stderr line, and (with --json) its code.
fn fails(out: &Output, status: i32) -> String {
    assert_eq!(out.status.code(), Some(status), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one line on stderr: {err:?}");
    err
}

fn json_code(stderr: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
    v["error"]["code"].as_str().unwrap().to_owned()
}

#[test]
fn the_whole_foundation_flow() {
    let env = Env::new();
    let code_file = env.init();
    let code = std::fs::read_to_string(&code_file).unwrap();
    assert_eq!(code.trim().len(), 39, "eight groups of four: {code}");

    let status = ok(&env.run(&["status", "--json"]));
    assert!(status.contains("\"state\": \"locked\""), "{status}");

    let case = ok(&env.as_irma(&["case", "new", "--ref", "EXP-2026-014", "--place", "Oaxaca", "--institution", "Escuela 5"]));
    let case = case.strip_suffix('\n').unwrap();
    assert!(case.starts_with("case-") && !case.contains(char::is_whitespace), "id alone: {case:?}");

    let session = ok(&env.as_irma(&[
        "session", "new", "--case", case, "--child-code", "NNA-014", "--age", "7", "--language", "es",
        "--present", "psychologist", "--present", "guardian", "--protocol", "NICHD",
    ]));
    let session = session.trim_end();
    assert!(session.starts_with("sess-"), "{session:?}");

    let shown: serde_json::Value = serde_json::from_str(&ok(&env.as_admin(&["session", "show", session, "--json"]))).unwrap();
    assert_eq!(shown["child_code"], "NNA-014");
    assert_eq!(shown["age_years"], 7);
    assert_eq!(shown["language"], "es");
    assert_eq!(shown["interviewer_name"], "Irma");
    assert_eq!(shown["persons_present"], serde_json::json!(["psychologist", "guardian"]));

    let listed: serde_json::Value = serde_json::from_str(&ok(&env.as_admin(&["--json", "case", "list"]))).unwrap();
    assert_eq!(listed[0]["reference"], "EXP-2026-014");
    assert_eq!(listed[0]["place"], "Oaxaca");

    ok(&env.as_irma(&["case", "edit", case, "--place", "Puebla"]));
    let shown: serde_json::Value = serde_json::from_str(&ok(&env.as_admin(&["case", "show", case, "--json"]))).unwrap();
    assert_eq!(shown["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(shown["sessions"][0], session);

    let verified = ok(&env.as_admin(&["log", "verify"]));
    assert!(verified.contains("vault:") && verified.contains(case), "{verified}");
    let report: serde_json::Value = serde_json::from_str(&ok(&env.as_admin(&["log", "verify", "--case", case, "--json"]))).unwrap();
    assert_eq!(report[0]["ok"], true);
    assert_eq!(report[0]["lines"], 3);

    let lines = ok(&env.as_admin(&["log", "show", "--case", case]));
    assert_eq!(lines.lines().count(), 3);
    assert!(lines.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
}

#[test]
fn wrong_passphrase_fails_clearly_and_changes_nothing() {
    let env = Env::new();
    env.init();
    let before = std::fs::read(env.vault()).unwrap();
    let bad = env.file("bad.pass", "definitely not the passphrase");
    let out = env.run(&["--user", "Ana", "--passphrase-file", bad.to_str().unwrap(), "case", "list"]);
    let err = fails(&out, 3);
    assert!(err.contains("Wrong passphrase"), "{err}");
    assert_eq!(std::fs::read(env.vault()).unwrap(), before);

    let out = env.run_lang("es-MX", &["--user", "Ana", "--passphrase-file", bad.to_str().unwrap(), "case", "list"]);
    assert!(fails(&out, 3).contains("Frase de acceso incorrecta"));
}

#[test]
fn unknown_user_and_revoked_user() {
    let env = Env::new();
    env.init();
    let pass = env.file("x.pass", ADMIN_PASS);
    let out = env.run(&["--user", "Nadie", "--passphrase-file", pass.to_str().unwrap(), "--json", "case", "list"]);
    assert_eq!(json_code(&fails(&out, 3)), "auth.unknown_user");

    ok(&env.as_admin(&["user", "revoke", "--name", "Irma"]));
    let out = env.as_irma(&["case", "list", "--json"]);
    assert_eq!(json_code(&fails(&out, 3)), "auth.slot_revoked");
    let users: serde_json::Value = serde_json::from_str(&ok(&env.as_admin(&["user", "list", "--json"]))).unwrap();
    let irma = users.as_array().unwrap().iter().find(|u| u["name"] == "Irma").unwrap();
    assert_eq!(irma["active"], false);
}

#[test]
fn passphrase_change_and_recovery_code() {
    let env = Env::new();
    let code = env.init();
    let new = env.file("new.pass", "la frase nueva de Irma");
    ok(&env.as_irma(&["user", "passwd", "--new-passphrase-file", new.to_str().unwrap()]));
    fails(&env.as_irma(&["case", "list"]), 3);
    ok(&env.run(&["--user", "Irma", "--passphrase-file", new.to_str().unwrap(), "case", "list"]));

    // The administrator forgot: the recovery code resets the passphrase.
    let reset = env.file("reset.pass", "la frase nueva de Ana");
    ok(&env.run(&[
        "--recovery-code-file", code.to_str().unwrap(),
        "user", "passwd", "--name", "Ana", "--new-passphrase-file", reset.to_str().unwrap(),
    ]));
    fails(&env.as_admin(&["case", "list"]), 3);
    ok(&env.run(&["--user", "Ana", "--passphrase-file", reset.to_str().unwrap(), "log", "verify"]));

    let wrong_code = env.file("wrong.code", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA");
    let out = env.run(&["--recovery-code-file", wrong_code.to_str().unwrap(), "--json", "user", "list"]);
    assert_eq!(json_code(&fails(&out, 3)), "auth.bad_recovery_code");
}

#[test]
fn missing_busy_newer_and_foreign_vaults() {
    let env = Env::new();
    let out = env.as_admin(&["case", "list", "--json"]);
    assert_eq!(json_code(&fails(&out, 1)), "vault.not_found");

    env.init();
    {
        let _held = relato_vault::Vault::unlock(&env.vault(), "Ana", ADMIN_PASS).unwrap();
        let out = env.as_admin(&["case", "list", "--json"]);
        assert_eq!(json_code(&fails(&out, 1)), "vault.in_use");
    }

    rusqlite::Connection::open(env.vault()).unwrap().pragma_update(None, "user_version", 7).unwrap();
    let out = env.as_admin(&["case", "list"]);
    let err = fails(&out, 1);
    assert!(err.contains("newer version of Relato") && err.contains('7'), "{err}");

    let out = raw("en", &["--vault", env.dir.path().to_str().unwrap(), "status", "--json"]);
    assert_eq!(json_code(&fails(&out, 1)), "vault.not_a_vault");

    let out = env.run(&["init", "--org", "X", "--admin", "Y", "--passphrase-file", "/nonexistent/pass"]);
    assert!(fails(&out, 1).contains("/nonexistent/pass"));
}

#[test]
fn bad_input_is_refused_by_field() {
    let env = Env::new();
    env.init();
    let case = ok(&env.as_irma(&["case", "new", "--ref", "EXP-1"]));
    let out = env.as_irma(&["--json", "session", "new", "--case", case.trim(), "--child-code", "María", "--age", "7", "--language", "es"]);
    let err = fails(&out, 1);
    assert_eq!(json_code(&err), "input.not_a_child_code");
    assert!(err.contains("never the child's name"), "{err}");
    let out = env.as_irma(&["session", "new", "--case", case.trim(), "--child-code", "María", "--age", "7", "--language", "es"]);
    let out_es = env.run_lang("es-MX", &["--user", "Irma", "--passphrase-file", env.dir.path().join("irma.pass").to_str().unwrap(),
        "session", "new", "--case", case.trim(), "--child-code", "María", "--age", "7", "--language", "es"]);
    fails(&out, 1);
    assert!(fails(&out_es, 1).contains("nunca su nombre"));
    let out = env.as_irma(&["--json", "session", "new", "--case", case.trim(), "--child-code", "N-1", "--age", "30", "--language", "es"]);
    assert_eq!(json_code(&fails(&out, 1)), "input.age_out_of_range");
    let out = env.as_irma(&["session", "new", "--case", "case-nonexistent", "--child-code", "N-1", "--age", "7", "--language", "es"]);
    assert!(fails(&out, 1).contains("case-nonexistent"));
    let out = env.as_irma(&["session", "new", "--case", case.trim(), "--child-code", "N-1", "--age", "7", "--language", "fr"]);
    fails(&out, 1);
    let weak = env.file("weak", "corta");
    let out = env.as_admin(&["user", "add", "--name", "Rita", "--role", "reviewer", "--new-passphrase-file", weak.to_str().unwrap(), "--json"]);
    assert_eq!(json_code(&fails(&out, 3)), "auth.weak_passphrase");
    let out = env.as_admin(&["user", "add", "--name", "Rita", "--role", "boss", "--new-passphrase-file", weak.to_str().unwrap(), "--json"]);
    assert_eq!(json_code(&fails(&out, 1)), "user.unknown_role");
}

fn tamper(vault: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(vault).unwrap();
    conn.execute_batch("DROP TRIGGER IF EXISTS custody_append_only_d; DROP TRIGGER IF EXISTS case_revisions_append_only_u;")
        .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_hand_edited_vault_is_caught_and_the_rest_stays_readable() {
    let env = Env::new();
    env.init();
    let a = ok(&env.as_irma(&["case", "new", "--ref", "EXP-A"])).trim().to_owned();
    let b = ok(&env.as_irma(&["case", "new", "--ref", "EXP-B"])).trim().to_owned();
    ok(&env.as_irma(&["session", "new", "--case", &b, "--child-code", "N-1", "--age", "9", "--language", "es"]));
    ok(&env.as_irma(&["session", "new", "--case", &b, "--child-code", "N-2", "--age", "9", "--language", "es"]));

    // Flip one bit of case A's sealed record, as a hex editor would.
    {
        tamper(&env.vault(), "");
        let conn = rusqlite::Connection::open(env.vault()).unwrap();
        let mut body: Vec<u8> =
            conn.query_row("SELECT body FROM case_revisions WHERE case_id = ?1", [&a], |r| r.get(0)).unwrap();
        body[40] ^= 1;
        conn.execute("UPDATE case_revisions SET body = ?1 WHERE case_id = ?2", rusqlite::params![body, a]).unwrap();
    }
    let out = env.as_admin(&["case", "list"]);
    let err = fails(&out, 4);
    assert!(err.contains(&a), "names the record: {err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("EXP-B"), "the other case is listed");

    // Remove a custody line from case B.
    tamper(&env.vault(), &format!("DELETE FROM custody WHERE chain = '{b}' AND seq = 2"));
    let out = env.as_admin(&["log", "verify", "--case", &b]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(4));
    assert!(err.contains(&b) && err.contains("line 2"), "names chain and line: {err}");
}

#[test]
fn a_closed_pipe_on_stdout_ends_quietly() {
    let env = Env::new();
    env.init();
    let pass = env.file("admin.pass", ADMIN_PASS);
    let mut child = Command::new(env!("CARGO_BIN_EXE_relato"))
        .args(["--vault", env.vault().to_str().unwrap(), "--user", "Ana", "--passphrase-file", pass.to_str().unwrap()])
        .args(["log", "show"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before anything is written (unlocking takes longer)
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "status {:?}, stderr {err}", out.status);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_recorded_session_shows_its_original_and_exports_it_with_the_recorded_hash() {
    use relato_capture::{FakeSource, Pace, Recorder, RecorderOptions};
    use relato_vault::{AudioFormat, SampleFormat};
    use sha2::Digest;

    let env = Env::new();
    env.init();
    let case = ok(&env.as_irma(&["case", "new", "--ref", "EXP-A"])).trim().to_owned();
    let session = ok(&env.as_irma(&["session", "new", "--case", &case, "--child-code", "N-1", "--age", "9", "--language", "es"]))
        .trim()
        .to_owned();
    // Record one second from the library, as the app will.
    {
        let vault = relato_vault::Vault::unlock(&env.vault(), "Irma", IRMA_PASS).unwrap();
        let format = AudioFormat { sample_rate: 16_000, channels: 1, sample_format: SampleFormat::I16 };
        let source = FakeSource { format, pace: Pace::Unthrottled, total_frames: Some(16_000) };
        let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
        while rec.shared().captured_frames.load(std::sync::atomic::Ordering::Acquire) < 8_000 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        rec.marker(None).unwrap();
        while rec.shared().captured_frames.load(std::sync::atomic::Ordering::Acquire) < 16_000 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        rec.stop().1.unwrap();
    }
    let shown = ok(&env.as_irma(&["session", "show", &session]));
    eprintln!("{shown}");
    assert!(shown.contains("16000 Hz, 1 ch, i16") && shown.contains("0:00:01.000"), "{shown}");
    let out = env.dir.path().join("EV-001.wav");
    let exported = ok(&env.as_irma(&["audio", "export", "--session", &session, "--out", out.to_str().unwrap(), "--purpose", "peritaje"]));
    assert!(exported.contains("HASH_RECORDED"), "{exported}");
    let file_hash = hex::encode(sha2::Sha256::digest(std::fs::read(&out).unwrap()));
    let log = ok(&env.as_irma(&["log", "show", "--case", &case]));
    let recorded = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["event"] == "HASH_RECORDED")
        .unwrap();
    assert_eq!(recorded["objects"][0]["sha256"], file_hash.as_str());
    assert!(log.contains("AUDIO_EXPORTED") && log.contains("peritaje"));
    // A second export never overwrites the first.
    let again = env.as_irma(&["--json", "audio", "export", "--session", &session, "--out", out.to_str().unwrap()]);
    assert_eq!(json_code(&fails(&again, 1)), "capture.output_exists");
}

#[test]
fn a_webvtt_transcript_is_imported_as_logged_revisions() {
    let env = Env::new();
    env.init();
    let case = ok(&env.as_irma(&["case", "new", "--ref", "EXP-T"])).trim().to_owned();
    let session = ok(&env.as_irma(&["session", "new", "--case", &case, "--child-code", "N-2", "--age", "8", "--language", "es"]))
        .trim()
        .to_owned();
    let vtt = env.dir.path().join("entrevista.vtt");
    std::fs::write(
        &vtt,
        "WEBVTT\n\n00:00.000 --> 00:03.500\n<v Entrevistadora>Cuéntame todo lo que pasó.\n\n\
         00:04.000 --> 00:09.250\n<v Niña>Fuimos a la casa y había una cámara.\n",
    )
    .unwrap();
    let saved = ok(&env.as_irma(&["--json", "transcript", "import", "--session", &session, vtt.to_str().unwrap()]));
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved["rev"], 1);
    assert_eq!(saved["source"], "import: entrevista.vtt");
    let segments = saved["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 2);
    assert_eq!((segments[0]["speaker"].as_str(), segments[1]["speaker"].as_str()), (Some("interviewer"), Some("child")));
    assert_eq!((segments[1]["start_ms"].as_u64(), segments[1]["end_ms"].as_u64()), (Some(4_000), Some(9_250)));

    // A second import is a second revision; show gives the latest, --rev 1 the first.
    ok(&env.as_irma(&["transcript", "import", "--session", &session, vtt.to_str().unwrap()]));
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&env.as_irma(&["--json", "transcript", "show", "--session", &session]))).unwrap();
    assert_eq!(shown["rev"], 2);
    assert_eq!(shown["sha256"], saved["sha256"], "the same text has the same hash");
    let human = ok(&env.as_irma(&["transcript", "show", "--session", &session, "--rev", "1"]));
    assert!(human.contains("había una cámara") && human.contains("0:00:04.000"), "{human}");

    // Custody names each save with the hash of the text.
    let log = ok(&env.as_irma(&["log", "show", "--case", &case]));
    let saves: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == "TRANSCRIPT_SAVED")
        .collect();
    assert_eq!(saves.len(), 2);
    assert_eq!(saves[0]["objects"][0]["sha256"], saved["sha256"]);

    // A broken file names its line and stores nothing.
    let bad = env.dir.path().join("mala.vtt");
    std::fs::write(&bad, "WEBVTT\n\n00:00.000 --> 00:0x.500\n<v Niña>Hola\n").unwrap();
    let err = fails(&env.as_irma(&["--json", "transcript", "import", "--session", &session, bad.to_str().unwrap()]), 1);
    assert_eq!(json_code(&err), "review.vtt_bad_timestamp");
    assert!(err.contains("\"line\":\"3\""), "{err}");
    // A segment rule broken in a file: the message names the file's line.
    let overlap = env.dir.path().join("encimada.vtt");
    std::fs::write(&overlap, "WEBVTT\n\n00:00.000 --> 00:03.000\n<v Niña>Hola\n\n00:02.000 --> 00:04.000\n<v Niña>Y luego\n").unwrap();
    let err = fails(&env.as_irma(&["transcript", "import", "--session", &session, overlap.to_str().unwrap()]), 1);
    assert!(err.contains("Line 6: Segment cue-2 overlaps"), "{err}");
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&env.as_irma(&["--json", "transcript", "show", "--session", &session]))).unwrap();
    assert_eq!(shown["rev"], 2, "nothing was saved");
}

#[test]
fn annotations_vocabulary_and_the_quality_figures() {
    let env = Env::new();
    env.init();
    let vocabulary: serde_json::Value = serde_json::from_str(&ok(&env.as_irma(&["--json", "vocabulary", "list"]))).unwrap();
    let camera = vocabulary.as_array().unwrap().iter().find(|c| c["code"] == "camera_or_recording_device").unwrap();
    assert_eq!((camera["tier"].as_str(), camera["label_es"].as_str()), (Some("indicators"), Some("Cámara o dispositivo de grabación")));
    assert!(camera["definition_en"].as_str().unwrap().contains("records"));

    let case = ok(&env.as_irma(&["case", "new", "--ref", "EXP-Q"])).trim().to_owned();
    let session = ok(&env.as_irma(&["session", "new", "--case", &case, "--child-code", "N-3", "--age", "9", "--language", "es"]))
        .trim()
        .to_owned();
    let vtt = env.dir.path().join("q.vtt");
    // Interviewer 0–2 s (invitation), child 2–12 s, interviewer 12–14 s (option-posing), child 14–16 s.
    std::fs::write(
        &vtt,
        "WEBVTT\n\ns1\n00:00.000 --> 00:02.000\n<v Entrevistadora>Cuéntame todo lo que pasó.\n\n\
         s2\n00:02.000 --> 00:12.000\n<v Niño>Fuimos a una casa grande y había una cámara en la mesa.\n\n\
         s3\n00:12.000 --> 00:14.000\n<v Entrevistadora>¿Era de día o de noche?\n\n\
         s4\n00:14.000 --> 00:16.000\n<v Niño>De noche.\n",
    )
    .unwrap();
    ok(&env.as_irma(&["transcript", "import", "--session", &session, vtt.to_str().unwrap()]));
    let annotate = |args: &[&str]| {
        let mut all = vec!["--json", "annotate", "--session", session.as_str()];
        all.extend_from_slice(args);
        env.as_irma(&all)
    };
    let saved: serde_json::Value = serde_json::from_str(&ok(&annotate(&[
        "--tier", "indicators", "--start", "2000", "--end", "12000", "--code", "camera_or_recording_device", "--note", "una cámara en la mesa",
    ])))
    .unwrap();
    assert!(saved["id"].as_str().unwrap().starts_with("ann-"));
    ok(&annotate(&["--tier", "prompt-type", "--start", "0", "--end", "2000", "--code", "invitation", "--segment", "s1"]));
    ok(&annotate(&["--tier", "prompt-type", "--start", "12000", "--end", "14000", "--code", "option_posing", "--segment", "s3"]));

    // Bad input says what is wrong and stores nothing.
    assert_eq!(json_code(&fails(&annotate(&["--tier", "indicators", "--start", "0", "--end", "1", "--code", "invitation"]), 1)), "review.annotation_unknown_code");
    assert_eq!(json_code(&fails(&annotate(&["--tier", "colors", "--start", "0", "--end", "1", "--code", "x"]), 1)), "cli.unknown_tier");
    assert_eq!(json_code(&fails(&annotate(&["--tier", "notes", "--start", "0", "--end", "1", "--code", "note"]), 1)), "review.annotation_note_required");
    assert_eq!(json_code(&fails(&annotate(&["--tier", "prompt-type", "--start", "0", "--end", "1", "--code", "directive", "--segment", "s9"]), 1)), "review.annotation_unknown_segment");

    let listed: serde_json::Value =
        serde_json::from_str(&ok(&env.as_irma(&["--json", "annotations", "list", "--session", &session]))).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);
    assert_eq!(listed[0]["note"], "una cámara en la mesa");

    // The figures, by hand: child 10 s + 2 s, interviewer 2 s + 2 s; one
    // invitation and one option-posing prompt, so half are invitations; the
    // first leading prompt is at 12 s; the longest child narrative is s2.
    let q: serde_json::Value = serde_json::from_str(&ok(&env.as_irma(&["--json", "quality", "--session", &session]))).unwrap();
    assert_eq!(q["child"]["ms"], 12_000);
    assert_eq!(q["interviewer"]["ms"], 4_000);
    assert_eq!(q["invitation_share"]["invitations"], 1);
    assert_eq!(q["invitation_share"]["prompts"], 2);
    assert_eq!(q["invitation_share"]["share"], 0.5);
    assert_eq!(q["first_option_posing_or_suggestive"]["time_ms"], 12_000);
    assert_eq!(q["first_option_posing_or_suggestive"]["segment_id"], "s3");
    assert_eq!(q["longest_child_narrative"]["ms"], 10_000);

    let log = ok(&env.as_irma(&["log", "show", "--case", &case]));
    assert_eq!(log.matches("\"ANNOTATION_SAVED\"").count(), 3);
}

#[test]
fn a_device_test_of_not_a_number_of_seconds_is_refused() {
    let env = Env::new();
    let err = fails(&env.as_irma(&["--json", "devices", "test", "--seconds", "NaN"]), 1);
    assert_eq!(json_code(&err), "cli.bad_seconds");
}
