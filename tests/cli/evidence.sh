#!/usr/bin/env bash
# An evidence bundle checked by the real tools an expert would use, with the
# commands LEEME-VERIFICAR.txt gives: sha256sum -c, minisign -Vm, openssl
# pkeyutl -verify -rawin, and the custody chain recomputed in the shell.
# Then `relato verify` agrees, and fails on a changed byte naming the file.
# The annex PDF carries the hashes as text; a bundle encrypted with age
# opens with the real `age -d` and verifies inside.
#
# Usage: RELATO_BIN=target/debug/relato tests/cli/evidence.sh
set -euo pipefail

relato=$(realpath "${RELATO_BIN:?set RELATO_BIN to the relato binary}")
for tool in minisign openssl sha256sum sox age age-keygen pdftotext; do
  command -v "$tool" >/dev/null || { echo "evidence.sh: needs $tool (scripts/test installs it)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RELATO_VAULT="$work/vault.relato" RELATO_LANG=en RELATO_USER=Ana RELATO_PASSPHRASE_FILE="$work/ana.pass"
printf 'una frase de acceso larga\n' >"$work/ana.pass"

fail() { echo "evidence.sh: FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }

step "a session with an imported original, a transcript and an annotation"
"$relato" init --org "ODI Oaxaca" --admin Ana --recovery-out "$work/recovery.txt" >/dev/null
case_id=$("$relato" case new --ref "EXP-2026-031" --place Oaxaca)
session_id=$("$relato" session new --case "$case_id" --child-code NNA-031 --age 9 --language es)
sox -n -r 16000 -c 1 -b 16 "$work/entrevista.wav" synth 3 sine 440 gain -12
"$relato" import --session "$session_id" "$work/entrevista.wav" >/dev/null
printf 'WEBVTT\n\ns1\n00:00.000 --> 00:01.500\n<v Entrevistadora>Cuéntame todo lo que pasó.\n\ns2\n00:01.500 --> 00:03.000\n<v Niña>Había una cámara.\n' >"$work/t.vtt"
"$relato" transcript import --session "$session_id" "$work/t.vtt" >/dev/null
"$relato" annotate --session "$session_id" --tier indicators --start 1500 --end 3000 --code camera_or_recording_device --note "en la repisa" >/dev/null

step "export"
"$relato" export --session "$session_id" --out "$work/bundle" --purpose "aportación" --recipient "Fiscalía" >/dev/null
cd "$work/bundle"
[ "$(sha256sum evidence/EV-001.wav | cut -d' ' -f1)" = "$(sha256sum "$work/entrevista.wav" | cut -d' ' -f1)" ] || fail "the original is not byte-identical"

step "sha256sum -c SHA256SUMS"
sha256sum --quiet -c SHA256SUMS || fail "sha256sum"
signer=$(sed -n 's/.*minisign -Vm manifest.json -p keys\/\([0-9a-f]*\)\.pub.*/\1/p' VERIFY.txt | head -1)
[ -n "$signer" ] || fail "VERIFY.txt names no signer key"

step "minisign -Vm (as LEEME-VERIFICAR.txt says)"
minisign -Vm SHA256SUMS -p "keys/$signer.pub" >/dev/null || fail "minisign SHA256SUMS"
minisign -Vm manifest.json -p "keys/$signer.pub" >/dev/null || fail "minisign manifest.json"
minisign -Vm custody/custody.head -p "keys/$signer.pub" >/dev/null || fail "minisign custody.head"

step "openssl pkeyutl -verify -rawin"
openssl pkeyutl -verify -pubin -inkey "keys/$signer.pem" -rawin -in manifest.json -sigfile manifest.json.sig >/dev/null \
  || fail "openssl manifest.json.sig"

step "the custody chain recomputed in the shell"
chain=$(sed -n '/^   prev=0000/,/custody.head$/p' LEEME-VERIFICAR.txt | sed 's/^   //')
[ -n "$chain" ] || fail "LEEME-VERIFICAR.txt has no chain check"
result=$(bash -c "$chain")
echo "$result" | grep -q '^chain OK' || fail "chain check: $result"
lines=$(wc -l <custody/custody.jsonl)
echo "$result" | grep -q "head $(tail -n1 custody/custody.jsonl | tr -d '\n' | sha256sum | cut -d' ' -f1)" || fail "chain head"
grep -q "^$lines " custody/custody.head || fail "custody.head"

step "the annex carries the originals' and the manifest's SHA-256 as text"
annex=$(pdftotext -layout acta/anexo-cadena-custodia.pdf -)
echo "$annex" | grep -q "$(sha256sum evidence/EV-001.wav | cut -d' ' -f1)" || fail "the annex lacks the original's hash"
echo "$annex" | grep -q "$(sha256sum manifest.json | cut -d' ' -f1)" || fail "the annex lacks the manifest's hash"
echo "$annex" | grep -q "EXP-2026-031" || fail "the annex lacks the case reference"

step "relato verify agrees, and names a changed file"
cd "$work"
"$relato" verify bundle >/dev/null || fail "relato verify on the bundle"
cp -r bundle changed
printf 'x' | dd of=changed/derivatives/S01/transcript.txt bs=1 seek=3 conv=notrunc status=none
set +e
said=$("$relato" verify changed 2>&1); status=$?
set -e
[ $status -eq 4 ] || fail "verify of a changed bundle should exit 4, got $status: $said"
echo "$said" | grep -q "derivatives/S01/transcript.txt" || fail "the culprit is not named: $said"
(cd changed && ! sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1) || fail "sha256sum should fail too"
step "--zip: one file, its SHA-256 printed; unzipped, sha256sum agrees; relato verify reads it in place"
said=$("$relato" export --session "$session_id" --out "$work/EXP-2026-031.zip" --zip)
zip_sha=$(sha256sum "$work/EXP-2026-031.zip" | cut -d' ' -f1)
echo "$said" | grep -q "$zip_sha" || fail "the zip's SHA-256 is not printed: $said"
[ ! -e "$work/EXP-2026-031.zip.partial" ] || fail "the plaintext folder was left behind"
"$relato" verify "$work/EXP-2026-031.zip" >/dev/null || fail "relato verify on the zip"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$work/EXP-2026-031.zip" "$work/unzipped"
(cd "$work/unzipped/EXP-2026-031" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum inside the zip"

step "handover deliver: the zip is verified, ENTREGA logs its hashes; the next bundle's annex lists it"
"$relato" handover deliver --case "$case_id" --to "Lic. Marta Ríos" --institution "Fiscalía de Oaxaca" \
  --purpose "carpeta de investigación" --medium "USB" --seal "SELLO-0042" --bundle "$work/EXP-2026-031.zip" >/dev/null
entrega=$("$relato" log show --case "$case_id" | grep '"event":"ENTREGA"')
manifest_sha=$(cd "$work/unzipped/EXP-2026-031" && sha256sum manifest.json | cut -d' ' -f1)
echo "$entrega" | grep -q "$manifest_sha" || fail "ENTREGA does not name the bundle's manifest hash: $entrega"
echo "$entrega" | grep -q "$zip_sha" || fail "ENTREGA does not name the zip's hash: $entrega"
echo "$entrega" | grep -q '"seal":"SELLO-0042"' || fail "ENTREGA lacks the seal: $entrega"
"$relato" handover receive --case "$case_id" --from "Lic. Marta Ríos" --medium "USB" --seal "SELLO-0042" >/dev/null
"$relato" export --session "$session_id" --out "$work/after-handover" >/dev/null
"$relato" verify "$work/after-handover" >/dev/null || fail "verify after the hand-over lines"
continuity=$(pdftotext "$work/after-handover/acta/anexo-cadena-custodia.pdf" - | sed -n '/CONTINUIDAD/,/VERIFICACI/p')
echo "$continuity" | grep -q "SELLO-0042" || fail "the annex's continuity lacks the hand-over: $continuity"
other_case=$("$relato" case new --ref "EXP-2026-099")
set +e
said=$("$relato" handover deliver --case "$other_case" --to X --bundle "$work/EXP-2026-031.zip" 2>&1); status=$?
set -e
[ $status -ne 0 ] && echo "$said" | grep -q "EXP-2026-031" || fail "a bundle of another case must be refused: $said"

step "--redact: a FLAC original decoded, half a second silenced (sox stat), the transcript's phrase replaced"
session2=$("$relato" session new --case "$case_id" --child-code NNA-032 --age 11 --language es)
sox -n -r 44100 -c 1 -b 24 "$work/telefono.flac" synth 3 sine 440 gain -6
"$relato" import --session "$session2" "$work/telefono.flac" >/dev/null
"$relato" session show "$session2" | grep -q "flac (flac), 24 bits (telefono.flac)" || fail "session show does not give the FLAC's own bit depth"
printf 'WEBVTT\n\ns1\n00:00.000 --> 00:03.000\n<v Niña>Vivo en la calle Hidalgo.\n' >"$work/t2.vtt"
"$relato" transcript import --session "$session2" "$work/t2.vtt" >/dev/null
printf '[{"session":"%s","text":[{"kind":"phrase","find":"calle hidalgo","replacement":"[DOMICILIO]","reason":"domicilio"}],"audio":[{"start_ms":1000,"end_ms":1500,"reason":"domicilio"}]}]\n' "$session2" >"$work/redact.json"
"$relato" export --session "$session2" --out "$work/redacted" --redact "$work/redact.json" >/dev/null
red="$work/redacted/derivatives/S01/redacted"
"$relato" verify "$work/redacted" >/dev/null || fail "relato verify on the redacted bundle"
silent=$(sox "$red/EV-001-redacted.wav" -n trim 1.02 0.46 stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
loud=$(sox "$red/EV-001-redacted.wav" -n trim 0.2 0.6 stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
awk -v s="$silent" -v l="$loud" 'BEGIN { exit !(s == 0 && l > 0.2) }' || fail "silenced RMS $silent, elsewhere $loud"
grep -q "\[DOMICILIO\]" "$red/transcript.txt" || fail "the phrase was not replaced"
! grep -qi "hidalgo" "$red/transcript.txt" "$red/redaction.json" || fail "the removed text is still there"
grep -q "$(sha256sum "$work/redacted/evidence/EV-001.flac" | cut -d' ' -f1)" "$red/redaction.json" || fail "the parent's hash is not named"
# The annex states the FLAC's own bit depth (24), not the 32-bit float it decodes to.
annex2=$(pdftotext -layout "$work/redacted/acta/anexo-cadena-custodia.pdf" -)
echo "$annex2" | grep -q "Audio FLAC, 44.*100 Hz, 1 canal (monoaural), 24 bits" \
  || fail "the annex does not state the import's format: $(echo "$annex2" | grep -i 'audio flac')"

step "--age-recipient: decrypted by the real age, the zip inside checks out; relato verify opens it with the key"
age-keygen -o "$work/expert.key" 2>/dev/null
recipient=$(age-keygen -y "$work/expert.key")
said=$("$relato" export --session "$session_id" --out "$work/EXP-2026-031.zip.age" --age-recipient "$recipient")
age_sha=$(sha256sum "$work/EXP-2026-031.zip.age" | cut -d' ' -f1)
echo "$said" | grep -q "$age_sha" || fail "the encrypted file's SHA-256 is not printed: $said"
ls "$work" | grep -q '\.partial$' && fail "a partial output was left behind"
age -d -i "$work/expert.key" -o "$work/decrypted.zip" "$work/EXP-2026-031.zip.age" || fail "age -d"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$work/decrypted.zip" "$work/decrypted"
(cd "$work/decrypted/EXP-2026-031" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum inside the decrypted zip"
"$relato" verify "$work/EXP-2026-031.zip.age" --age-identity "$work/expert.key" >/dev/null || fail "relato verify with the key"
set +e
said=$("$relato" verify "$work/EXP-2026-031.zip.age" 2>&1); status=$?
set -e
[ $status -ne 0 ] && echo "$said" | grep -qi "age" || fail "verify without the key should say it needs one: $status $said"

step "receive: another vault takes the encrypted bundle in, and its own bundle carries the history"
(
  export RELATO_VAULT="$work/fiscalia.relato" RELATO_USER=Raul RELATO_PASSPHRASE_FILE="$work/raul.pass"
  printf 'otra frase de acceso larga\n' >"$work/raul.pass"
  "$relato" init --org "Fiscalía de Oaxaca" --admin Raul --recovery-out "$work/raul-recovery.txt" >/dev/null
  got=$("$relato" --json receive "$work/EXP-2026-031.zip.age" --from "Luisa Litigante" --seal "SELLO-7" --age-identity "$work/expert.key")
  case2=$(echo "$got" | python3 -c 'import json,sys; print(json.load(sys.stdin)["case"])')
  session_here=$(echo "$got" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"][0]["session"])')
  "$relato" log show --case "$case2" | grep -q '"event":"RECEPCION"' || fail "no RECEPCION in the receiving vault"
  "$relato" log verify --case "$case2" >/dev/null || fail "the receiving vault's chain does not verify"
  "$relato" export --session "$session_here" --out "$work/onward" >/dev/null
  [ -f "$work/onward/custody/received/R1/custody/custody.jsonl" ] || fail "the onward bundle lacks the received history"
  (cd "$work/onward" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum on the onward bundle"
  "$relato" verify "$work/onward" >/dev/null || fail "relato verify on the onward bundle"
  [ "$(sha256sum "$work/onward/evidence/EV-001.wav" | cut -d' ' -f1)" = "$(sha256sum "$work/entrevista.wav" | cut -d' ' -f1)" ] \
    || fail "the original changed on its way"
)

step "--age-passphrase-file: the real age opens it with the passphrase"
printf 'una frase para la fiscalía\n' >"$work/bundle.pass"
"$relato" export --session "$session_id" --out "$work/pass.zip.age" --age-passphrase-file "$work/bundle.pass" >/dev/null
"$relato" verify "$work/pass.zip.age" --age-passphrase-file "$work/bundle.pass" >/dev/null || fail "relato verify with the passphrase"
echo "evidence.sh: ok"
