#!/usr/bin/env bash
# The foundation as a shell script would drive it: init -> user add ->
# case new -> session new -> log verify, then a hand-edited vault file must
# be caught by `log verify` or by the read that touches it.
#
# Usage: RELATO_BIN=target/debug/relato tests/cli/foundation.sh
set -euo pipefail

relato=${RELATO_BIN:?set RELATO_BIN to the relato binary}
command -v sqlite3 >/dev/null || { echo "foundation.sh: needs sqlite3 (apt install sqlite3)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RELATO_VAULT="$work/vault.relato" RELATO_LANG=en
unset RELATO_USER RELATO_PASSPHRASE_FILE

fail() { echo "foundation.sh: FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }

printf 'una frase de acceso larga\n' >"$work/ana.pass"
printf 'otra frase de acceso larga\n' >"$work/irma.pass"

step "init"
"$relato" --passphrase-file "$work/ana.pass" init --org "ODI" --admin "Ana" --recovery-out "$work/recovery.txt" >/dev/null
grep -Eq '^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$' "$work/recovery.txt" || fail "recovery code file"
[ "$(stat -c %a "$work/recovery.txt")" = 600 ] || fail "recovery code file should be private"

step "user add"
"$relato" --user Ana --passphrase-file "$work/ana.pass" user add --name Irma --role interviewer \
    --new-passphrase-file "$work/irma.pass" >/dev/null

export RELATO_USER=Irma RELATO_PASSPHRASE_FILE="$work/irma.pass"
step "case new"
case_id=$("$relato" case new --ref "EXP-2026-031" --place "Oaxaca" --institution "Escuela 12")
[[ $case_id =~ ^case-[a-z2-7]{10}$ ]] || fail "case new printed '$case_id'"
other_id=$("$relato" case new --ref "EXP-2026-032")

step "session new"
session_id=$("$relato" session new --case "$case_id" --child-code NNA-031 --age 6 --language es --present psychologist)
[[ $session_id =~ ^sess-[a-z2-7]{10}$ ]] || fail "session new printed '$session_id'"
shown=$("$relato" session show "$session_id" --json)
grep -q '"child_code": "NNA-031"' <<<"$shown" || fail "session show: $shown"

step "log verify"
"$relato" log verify >/dev/null || fail "log verify on an untouched vault"

step "hand-edit a custody line (swap two sealed lines)"
sqlite3 "$RELATO_VAULT" <<SQL
DROP TRIGGER custody_append_only_u;
CREATE TEMP TABLE saved AS SELECT seq, body FROM custody WHERE chain = '$case_id';
UPDATE custody SET body = (SELECT body FROM saved WHERE seq = 2) WHERE chain = '$case_id' AND seq = 1;
UPDATE custody SET body = (SELECT body FROM saved WHERE seq = 1) WHERE chain = '$case_id' AND seq = 2;
SQL
set +e
out=$("$relato" log verify 2>&1); status=$?
set -e
[ $status -eq 4 ] || fail "log verify should exit 4 after tampering, got $status: $out"
grep -q "$case_id, line 1" <<<"$out" || fail "log verify should name the chain and line: $out"
grep -q "$other_id: .* verified" <<<"$out" || fail "the untouched case should still verify: $out"

step "hand-edit a sealed record (overwrite its bytes)"
sqlite3 "$RELATO_VAULT" "DROP TRIGGER session_revisions_append_only_u;
  UPDATE session_revisions SET body = randomblob(length(body)) WHERE session_id = '$session_id';"
set +e
out=$("$relato" session show "$session_id" 2>&1); status=$?
set -e
[ $status -eq 4 ] || fail "reading a damaged session should exit 4, got $status: $out"
grep -q "session_revisions/$session_id" <<<"$out" || fail "the error should name the record: $out"
"$relato" case show "$other_id" >/dev/null || fail "other records must stay readable"

step "wrong passphrase changes nothing"
before=$(sha256sum "$RELATO_VAULT")
printf 'no es la frase\n' >"$work/bad.pass"
if "$relato" --passphrase-file "$work/bad.pass" case list 2>/dev/null; then fail "wrong passphrase accepted"; fi
[ "$(sha256sum "$RELATO_VAULT")" = "$before" ] || fail "a failed unlock changed the vault file"

echo "foundation.sh: all checks passed"
