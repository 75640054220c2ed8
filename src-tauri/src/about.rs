//! The About screen's facts: version, build, vault format, input devices.
//! Nothing personal: the vault path is shown relative to the home directory
//! (whose name is often the person's), and no case data is read.

use std::path::Path;

use relato_capture::InputDevice;

use crate::dto::{AboutInfo, DeviceView};
use crate::error::CommandError;
use crate::service::VaultService;

/// The commit the app was built from (`build.rs`), or the build profile.
pub const BUILD: &str = env!("RELATO_BUILD");

/// Collects the About facts. `devices` is injected so tests need no sound
/// system; `home` is the directory shown as `~`.
pub fn about(
    vault: &VaultService,
    home: Option<&Path>,
    devices: impl FnOnce() -> Result<Vec<InputDevice>, CommandError>,
) -> AboutInfo {
    let path = vault.path().ok();
    let format_file = match vault.status().map(|s| s.probe) {
        Ok(crate::dto::VaultState::Locked { format_version, .. } | crate::dto::VaultState::Unlocked { format_version, .. }) => {
            Some(format_version)
        }
        _ => None,
    };
    let (devices, devices_error) = match devices() {
        Ok(list) => (list.into_iter().map(DeviceView::from).collect(), None),
        Err(e) => (Vec::new(), Some(e)),
    };
    AboutInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        build: BUILD.to_owned(),
        format_supported: relato_vault::FORMAT_VERSION,
        format_file,
        vault_path: path.as_deref().map(|p| shown_path(p, home)).unwrap_or_default(),
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        devices,
        devices_error,
    }
}

/// `path` with `home` replaced by `~`; other paths as they are.
pub fn shown_path(path: &Path, home: Option<&Path>) -> String {
    match home.filter(|h| !h.as_os_str().is_empty()).and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => "~".to_owned(),
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use relato_vault::{AudioFormat, KdfParams, SampleFormat};
    use std::path::PathBuf;

    #[test]
    fn home_is_shown_as_a_tilde() {
        let home = PathBuf::from("/home/ana.garcia");
        let shown = shown_path(Path::new("/home/ana.garcia/.local/share/relato/vault.relato"), Some(&home));
        assert_eq!(shown, "~/.local/share/relato/vault.relato");
        assert_eq!(shown_path(Path::new("/home/ana.garciax/v"), Some(&home)), "/home/ana.garciax/v", "only whole components");
        assert_eq!(shown_path(Path::new("/srv/relato/v"), Some(&home)), "/srv/relato/v");
        assert_eq!(shown_path(Path::new("/srv/v"), None), "/srv/v");
    }

    #[test]
    fn about_names_no_person() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home").join("ana.garcia");
        let vault = VaultService::at(home.join("vault.relato")).with_kdf(KdfParams::insecure_fast());
        let input = crate::dto::NewVaultInput {
            organisation: "ODI".into(),
            admin_name: "Ana García".into(),
            passphrase: "una frase de acceso larga".into(),
        };
        vault.create(input).unwrap();
        let fmt = AudioFormat { sample_rate: 44_100, channels: 2, sample_format: SampleFormat::F32 };
        let device = InputDevice { name: "pulse".into(), format: Some(fmt), supported: vec![], bluetooth: false };
        let info = about(&vault, Some(&home), || Ok(vec![device]));
        assert_eq!(info.vault_path, "~/vault.relato");
        assert_eq!(info.format_file, Some(relato_vault::FORMAT_VERSION));
        assert_eq!(info.devices, vec![DeviceView { name: "pulse".into(), format: Some("44100 Hz, 2 ch, f32".into()), bluetooth: false }]);
        assert!(!info.build.is_empty());
        let text = serde_json::to_string(&info).unwrap();
        for personal in ["Ana", "ana.garcia", "ODI"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
    }

    #[test]
    fn device_errors_are_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let vault = VaultService::at(dir.path().join("v.relato"));
        let info = about(&vault, None, || Err(relato_capture::CaptureError::NoInputDevice.into()));
        assert!(info.devices.is_empty());
        assert_eq!(info.devices_error.unwrap().code, "capture.no_input_device");
        assert_eq!(info.format_file, None);
    }
}
