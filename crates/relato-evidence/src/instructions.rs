//! `LEEME-VERIFICAR.txt` and `VERIFY.txt`: how an expert checks the bundle
//! by hand, with ordinary tools, step by step. The commands are the ones
//! `tests/cli/evidence.sh` runs, so they are known to work.

use crate::manifest::Manifest;

/// The custody chain recomputed with shell tools: every line's `prev`
/// must be the SHA-256 of the line before (64 zeros for the first).
pub const CHAIN_CHECK: &str = r#"prev=0000000000000000000000000000000000000000000000000000000000000000; n=0; ok=1
while IFS= read -r line; do
  n=$((n+1))
  p=$(printf '%s' "$line" | sed -n 's/.*"prev":"\([0-9a-f]\{64\}\)".*/\1/p')
  [ "$p" = "$prev" ] || { echo "line $n: prev does not match"; ok=0; break; }
  prev=$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)
done < custody/custody.jsonl
[ $ok = 1 ] && echo "chain OK: $n lines, head $prev" && cat custody/custody.head"#;

fn items(m: &Manifest) -> String {
    m.items.iter().map(|i| format!("  {}  {}  ({} bytes)\n", i.sha256, i.file, i.bytes)).collect()
}

/// The Spanish instructions.
pub fn leeme(m: &Manifest) -> String {
    let signer = &m.exported_by.key.file;
    format!(
        "VERIFICACIÓN DEL PAQUETE DE EVIDENCIA — Relato\n\
         ===============================================\n\n\
         Caso: {case}\nExportado por: {name} ({role}, {inst})\nFecha: {date}\n\n\
         Originales (SHA-256 completo):\n{items}\n\
         Clave de la organización (minisign): {org}\nClave de quien exporta (minisign): {me}\n\n\
         Todo se puede comprobar sin Relato, desde esta carpeta, con herramientas comunes\n\
         (sha256sum, minisign, openssl). Si un paso falla, el paquete fue alterado.\n\n\
         1. Huellas de todos los archivos (cada línea debe decir «La suma coincide» / OK):\n\
         \x20  sha256sum -c SHA256SUMS\n\n\
         2. Firma de la lista de huellas y del manifiesto (minisign):\n\
         \x20  minisign -Vm SHA256SUMS -p keys/{signer}.pub\n\
         \x20  minisign -Vm manifest.json -p keys/{signer}.pub\n\n\
         3. La misma firma del manifiesto, con OpenSSL (Ed25519 puro):\n\
         \x20  openssl pkeyutl -verify -pubin -inkey keys/{signer}.pem -rawin -in manifest.json -sigfile manifest.json.sig\n\n\
         4. Certificado de quien exporta, firmado por la organización: keys/{signer}.cert.json\n\
         \x20  contiene la línea certificada («line») y su firma («sig», base64) con la clave\n\
         \x20  keys/organisation.pem. Relato lo comprueba con «relato verify».\n\n\
         5. Cadena de custodia: cada línea de custody/custody.jsonl incluye en «prev» el SHA-256\n\
         \x20  de la línea anterior (64 ceros en la primera); custody/custody.head dice\n\
         \x20  «<número de líneas> <SHA-256 de la última>». Para recalcularla:\n\n{chain}\n\n\
         \x20  La firma de la cabeza: minisign -Vm custody/custody.head -p keys/{signer}.pub\n\
         \x20  Cada línea está firmada por quien actuó (custody/custody.jsonl.sig, una firma base64\n\
         \x20  por línea, sobre los bytes de la línea); la clave está en «actor.key».\n\n\
         6. Cada original coincide con el hash que registró al sellarse (HASH_RECORDED):\n\
         \x20  grep HASH_RECORDED custody/custody.jsonl\n\n\
         Todo junto, con Relato: relato verify <carpeta>\n",
        case = m.case.reference,
        name = m.exported_by.name,
        role = rol(&m.exported_by.role),
        inst = m.exported_by.institution,
        date = m.created_at,
        items = items(m),
        org = m.organisation.minisign_key,
        me = m.exported_by.key.minisign_key,
        chain = indent(CHAIN_CHECK),
    )
}

/// The English instructions.
pub fn verify(m: &Manifest) -> String {
    let signer = &m.exported_by.key.file;
    format!(
        "VERIFYING THIS EVIDENCE BUNDLE — Relato\n\
         =======================================\n\n\
         Case: {case}\nExported by: {name} ({role}, {inst})\nDate: {date}\n\n\
         Originals (full SHA-256):\n{items}\n\
         Organisation key (minisign): {org}\nExporter's key (minisign): {me}\n\n\
         Everything can be checked without Relato, from this folder, with ordinary tools\n\
         (sha256sum, minisign, openssl). If a step fails, the bundle was altered.\n\n\
         1. Hashes of every file (every line must say OK):\n\
         \x20  sha256sum -c SHA256SUMS\n\n\
         2. Signature of the hash list and of the manifest (minisign):\n\
         \x20  minisign -Vm SHA256SUMS -p keys/{signer}.pub\n\
         \x20  minisign -Vm manifest.json -p keys/{signer}.pub\n\n\
         3. The same manifest signature with OpenSSL (pure Ed25519):\n\
         \x20  openssl pkeyutl -verify -pubin -inkey keys/{signer}.pem -rawin -in manifest.json -sigfile manifest.json.sig\n\n\
         4. The exporter's certificate, signed by the organisation: keys/{signer}.cert.json\n\
         \x20  holds the certified line (\"line\") and its signature (\"sig\", base64) by the key\n\
         \x20  keys/organisation.pem. Relato checks it with `relato verify`.\n\n\
         5. Custody chain: every line of custody/custody.jsonl carries in \"prev\" the SHA-256 of\n\
         \x20  the line before (64 zeros for the first); custody/custody.head says\n\
         \x20  \"<number of lines> <SHA-256 of the last>\". To recompute it:\n\n{chain}\n\n\
         \x20  The head's signature: minisign -Vm custody/custody.head -p keys/{signer}.pub\n\
         \x20  Each line is signed by whoever acted (custody/custody.jsonl.sig, one base64 signature\n\
         \x20  per line, over the line's bytes); the key is named in \"actor.key\".\n\n\
         6. Each original matches the hash recorded when it was sealed (HASH_RECORDED):\n\
         \x20  grep HASH_RECORDED custody/custody.jsonl\n\n\
         All at once, with Relato: relato verify <folder>\n",
        case = m.case.reference,
        name = m.exported_by.name,
        role = m.exported_by.role,
        inst = m.exported_by.institution,
        date = m.created_at,
        items = items(m),
        org = m.organisation.minisign_key,
        me = m.exported_by.key.minisign_key,
        chain = indent(CHAIN_CHECK),
    )
}

/// The role as the Spanish text names it (the manifest keeps the identifier).
fn rol(role: &str) -> &str {
    match role {
        "administrator" => "administración",
        "interviewer" => "entrevista",
        "reviewer" => "revisión",
        "litigator" => "litigio",
        other => other,
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}")).collect::<Vec<_>>().join("\n")
}
