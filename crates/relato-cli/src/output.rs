//! Human-readable output: aligned tables and label/value blocks. (`--json`
//! output is the library's own serde form, printed by the context.)
//!
//! Everything goes through [`emit`]: when the reader of stdout goes away
//! (`relato … | head`, `grep -q`), the command has already done its work,
//! so it ends quietly instead of panicking on the broken pipe.

use std::io::Write;

/// Writes one line to stdout.
pub fn emit(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("relato: stdout: {e}");
        std::process::exit(1);
    }
}

/// `println!` that survives a closed pipe.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => { $crate::output::emit(format_args!($($arg)*)) };
}

/// Prints rows under a header, each column as wide as its widest cell.
pub fn table(header: &[String], rows: &[Vec<String>]) {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0))
        .collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| if i + 1 == cells.len() { c.clone() } else { format!("{c:<w$}") })
            .collect();
        outln!("{}", padded.join("  ").trim_end());
    };
    line(header);
    for r in rows {
        line(r);
    }
}

/// Prints `label: value` lines with the labels aligned.
pub fn fields(pairs: &[(String, String)]) {
    let width = pairs.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0) + 1;
    for (label, value) in pairs {
        outln!("{:<width$} {value}", format!("{label}:"), width = width);
    }
}
