//! Downloads from the web view: only the app's own in-memory blobs (the
//! recovery code's "save to a file"), into the downloads folder — or the
//! home folder when there is none — never over an existing file. Every
//! other download is refused. No fs plugin is involved.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::webview::DownloadEvent;
use tauri::{Manager, Runtime, Webview};
use tauri_specta::Event;

/// Where a saved file went, named without its path (which holds the
/// user's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct DownloadFinished {
    pub file_name: Option<String>,
    pub folder: SaveFolder,
    pub success: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SaveFolder {
    Downloads,
    Home,
}

/// Only blobs made by the page itself (a blob URL can be minted only by
/// the page's scripts, which the CSP limits to the app's own), and only
/// text files: the recovery code. Anything else — above all the input
/// test's audio, which a media element's menu could offer to save — is
/// refused, so no recording reaches the disk this way.
pub fn allowed(url: &str, suggested: &Path) -> bool {
    url.starts_with("blob:") && suggested.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Where the app saves what the user exports: the downloads folder if it
/// exists, else the home folder. Evidence bundles go there too.
pub fn save_dir(downloads: Option<&Path>, home: Option<&Path>) -> Option<(PathBuf, SaveFolder)> {
    match downloads.filter(|d| d.is_dir()) {
        Some(d) => Some((d.to_path_buf(), SaveFolder::Downloads)),
        None => Some((home.filter(|h| h.is_dir())?.to_path_buf(), SaveFolder::Home)),
    }
}

/// The file to write: `suggested`'s name in [`save_dir`], with " (n)"
/// added until the name is free.
pub fn destination(suggested: &Path, downloads: Option<&Path>, home: Option<&Path>) -> Option<(PathBuf, SaveFolder)> {
    let (dir, folder) = save_dir(downloads, home)?;
    let name = suggested.file_name()?.to_string_lossy().into_owned();
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_owned(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    // wry numbers the name against its own default folder (the working
    // directory when there is no downloads folder); number it afresh here.
    let stem = strip_counter(&stem).to_owned();
    let mut path = dir.join(format!("{stem}{ext}"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    Some((path, folder))
}

/// `name (3)` → `name`.
fn strip_counter(stem: &str) -> &str {
    match stem.rsplit_once(" (") {
        Some((base, n)) if n.ends_with(')') && n[..n.len() - 1].chars().all(|c| c.is_ascii_digit()) && n.len() > 1 => base,
        _ => stem,
    }
}

/// The window's download handler.
pub fn handle<R: Runtime>(webview: Webview<R>, event: DownloadEvent<'_>) -> bool {
    let paths = webview.path();
    let downloads = paths.download_dir().ok();
    let home = paths.home_dir().ok();
    match event {
        DownloadEvent::Requested { url, destination: dest } => {
            if !allowed(url.as_str(), dest) {
                return false;
            }
            match destination(dest, downloads.as_deref(), home.as_deref()) {
                Some((path, _)) => {
                    *dest = path;
                    true
                }
                None => false,
            }
        }
        DownloadEvent::Finished { path, success, .. } => {
            let folder = match (&path, &downloads) {
                (Some(p), Some(d)) if p.starts_with(d) => SaveFolder::Downloads,
                _ => SaveFolder::Home,
            };
            let file_name = path.as_deref().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
            let _ = DownloadFinished { file_name, folder, success }.emit(&webview);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_blobs_are_allowed() {
        let txt = Path::new("/x/relato-recovery-code.txt");
        assert!(allowed("blob:tauri://localhost/3f0c-…", txt));
        for url in ["https://example.org/x", "tauri://localhost/index.html", "data:text/plain,x", "file:///etc/passwd"] {
            assert!(!allowed(url, txt), "{url}");
        }
        for name in ["/x/3f0c-aa", "/x/prueba.wav", "/x/audio"] {
            assert!(!allowed("blob:tauri://localhost/3f0c-…", Path::new(name)), "{name}: audio never leaves this way");
        }
    }

    #[test]
    fn never_overwrites_and_falls_back_to_home() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let downloads = home.join("Downloads");
        std::fs::create_dir_all(&home).unwrap();
        let suggested = Path::new("/wherever/relato-recovery-code.txt");

        let (p, f) = destination(suggested, Some(&downloads), Some(&home)).unwrap();
        assert_eq!((p, f), (home.join("relato-recovery-code.txt"), SaveFolder::Home), "no downloads folder yet");

        std::fs::create_dir_all(&downloads).unwrap();
        let (p, f) = destination(suggested, Some(&downloads), Some(&home)).unwrap();
        assert_eq!((p.clone(), f), (downloads.join("relato-recovery-code.txt"), SaveFolder::Downloads));
        std::fs::write(&p, "x").unwrap();
        std::fs::write(downloads.join("relato-recovery-code (1).txt"), "x").unwrap();
        let (p, _) = destination(suggested, Some(&downloads), Some(&home)).unwrap();
        assert_eq!(p, downloads.join("relato-recovery-code (2).txt"));

        assert_eq!(destination(suggested, None, None), None);
        let numbered = Path::new("/cwd/relato-recovery-code (7).txt");
        assert_eq!(destination(numbered, None, Some(&home)).unwrap().0, home.join("relato-recovery-code.txt"));
        assert_eq!(strip_counter("a (b)"), "a (b)");
        assert_eq!(strip_counter("a ()"), "a ()");
    }
}
