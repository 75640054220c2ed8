//! A writer killed with SIGKILL in the middle of its work leaves a vault
//! that opens, verifies, and keeps every committed record and chunk.
//!
//! The test binary re-runs itself as the writer (env `RELATO_CRASH_WRITER`),
//! so the victim is a real separate process with the real code path.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use relato_vault::{StreamState, Vault};

const WRITER_ENV: &str = "RELATO_CRASH_WRITER";

/// The victim: writes cases, sessions and stream chunks until it is killed.
fn writer(path: &str) -> ! {
    let v = Vault::unlock(std::path::Path::new(path), ADMIN, ADMIN_PASS).unwrap();
    let mut announced = false;
    let mut stream = v.create_stream().unwrap();
    for i in 0u64.. {
        let c = v.create_case(case_fields(&format!("EXP-{i}"))).unwrap();
        new_session(&v, &c.id, &format!("NNA-{i}"));
        stream.write(&vec![(i % 251) as u8; 40_000]).unwrap();
        stream.commit().unwrap();
        if !announced {
            println!("writing");
            announced = true;
        }
    }
    unreachable!()
}

#[test]
fn sigkill_mid_write_leaves_a_vault_that_opens_and_verifies() {
    if let Ok(path) = std::env::var(WRITER_ENV) {
        writer(&path);
    }
    let f = Fixture::new();
    f.create().0.lock();
    let mut committed_chunks = 0;
    for (round, delay_ms) in [37u64, 211, 503].into_iter().enumerate() {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "sigkill_mid_write_leaves_a_vault_that_opens_and_verifies", "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, &f.path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains("writing") {
            line.clear();
            assert!(out.read_line(&mut line).unwrap() > 0, "writer ended before writing (round {round})");
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL: no destructor, no unlock, no checkpoint
        child.wait().unwrap();

        let v = f.admin();
        let report = v.verify_all().unwrap();
        assert!(report.len() > 1, "round {round}: some cases were written");
        for (chain, result) in &report {
            result.as_ref().unwrap_or_else(|e| panic!("round {round}, chain {chain}: {e}"));
        }
        for case in v.cases().unwrap() {
            let case = case.unwrap();
            for s in v.sessions(&case.id).unwrap() {
                s.unwrap();
            }
        }
        let unfinished = v.unfinished_streams().unwrap();
        assert_eq!(unfinished.len(), 1, "round {round}: the killed writer's stream is found");
        let before = unfinished[0].chunks;
        let info = v.recover_stream(&unfinished[0].id).unwrap();
        assert_eq!(info.state, StreamState::Finished);
        let data = v.read_stream(&info.id).unwrap();
        assert_eq!(data.len() as u64, before * 40_000, "every committed chunk is kept");
        committed_chunks += before;
    }
    assert!(committed_chunks > 0);
}
