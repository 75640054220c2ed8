//! Human-readable output: aligned tables and label/value blocks. (`--json`
//! output is the library's own serde form, printed by the context.)

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
        println!("{}", padded.join("  ").trim_end());
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
        println!("{:<width$} {value}", format!("{label}:"), width = width);
    }
}
