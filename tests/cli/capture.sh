#!/usr/bin/env bash
# Real audio through the real pipeline: a private PulseAudio server with a
# null sink (its monitor is the default input), Spanish speech from espeak-ng
# played into it while `relato record` captures through cpal. The exported
# original must not be silent and its SHA-256 must equal HASH_RECORDED.
#
# Usage: RELATO_BIN=target/debug/relato tests/cli/capture.sh
set -euo pipefail

relato=${RELATO_BIN:?set RELATO_BIN to the relato binary}
for tool in pulseaudio pactl paplay espeak-ng sox sha256sum; do
  command -v "$tool" >/dev/null || { echo "capture.sh: needs $tool (see scripts/common.sh)" >&2; exit 2; }
done
work=$(mktemp -d)
export XDG_RUNTIME_DIR="$work/runtime" HOME="$work/home"
mkdir -p "$XDG_RUNTIME_DIR" "$HOME"; chmod 700 "$XDG_RUNTIME_DIR"
pulse_pid=
cleanup() {
  [ -n "$pulse_pid" ] && kill "$pulse_pid" 2>/dev/null && wait "$pulse_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "capture.sh: FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }

step "start PulseAudio with a null sink"
pulseaudio --daemonize=no --exit-idle-time=-1 -n \
  --load="module-native-protocol-unix auth-anonymous=1" \
  --load="module-null-sink sink_name=vsink" >"$work/pulse.log" 2>&1 &
pulse_pid=$!
for _ in $(seq 1 100); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
pactl info >/dev/null 2>&1 || { cat "$work/pulse.log" >&2; fail "PulseAudio did not start"; }
pactl set-default-source vsink.monitor

export RELATO_VAULT="$work/vault.relato" RELATO_LANG=en RELATO_USER=Ana RELATO_PASSPHRASE_FILE="$work/ana.pass"
printf 'una frase de acceso larga\n' >"$work/ana.pass"
"$relato" init --org ODI --admin Ana --recovery-out "$work/recovery.txt" >/dev/null
case_id=$("$relato" case new --ref EXP-AUDIO)
session_id=$("$relato" session new --case "$case_id" --child-code NNA-77 --age 9 --language es)

step "devices lists the null sink's monitor"
"$relato" devices --json 2>/dev/null >"$work/devices.json"
grep -q '"name"' "$work/devices.json" || fail "no input devices listed: $(cat "$work/devices.json")"

espeak-ng -v es-419 -w "$work/speech.wav" "Hola. Me llamo Ana y hoy vine a contar lo que pasó en la escuela. Había una cámara y muchas personas."

step "devices test: silence, then speech; nothing is stored or logged"
lines_before=$("$relato" log show --case "$case_id" | wc -l)
"$relato" devices test --seconds 1.5 --json 2>"$work/test.err" >"$work/test-silent.json" || { cat "$work/test.err" >&2; fail "devices test failed"; }
grep -q '"verdict": "silent"' "$work/test-silent.json" || fail "an idle sink should test silent: $(cat "$work/test-silent.json")"
"$relato" devices test --seconds 3 --json 2>"$work/test.err" >"$work/test-speech.json" &
test_pid=$!
sleep 0.5
paplay --device=vsink "$work/speech.wav"
wait "$test_pid" || { cat "$work/test.err" >&2; fail "devices test failed"; }
grep -Eq '"verdict": "(good|quiet)"' "$work/test-speech.json" || fail "speech should be heard: $(cat "$work/test-speech.json")"
cat "$work/test-speech.json"
[ "$("$relato" log show --case "$case_id" | wc -l)" = "$lines_before" ] || fail "a device test was logged"
[ -z "$("$relato" session show "$session_id" --json | grep '"rec-')" ] || fail "a device test was stored"

step "record 6 s while espeak-ng speaks Spanish into the sink"
"$relato" record --session "$session_id" --seconds 6 --json 2>"$work/record.err" >"$work/record.json" &
record_pid=$!
sleep 1.5
paplay --device=vsink "$work/speech.wav"
wait "$record_pid" || { cat "$work/record.err" >&2; fail "relato record failed"; }
grep -q '"state": "sealed"' "$work/record.json" || fail "recording not sealed: $(head -c 600 "$work/record.json")"

step "export the original and check it"
"$relato" audio export --session "$session_id" --out "$work/EV-001.wav" >/dev/null
recorded=$("$relato" log show --case "$case_id" | grep '"HASH_RECORDED"' | sed -E 's/.*"sha256":"([0-9a-f]{64})".*/\1/')
actual=$(sha256sum "$work/EV-001.wav" | cut -d' ' -f1)
[ "$recorded" = "$actual" ] || fail "exported SHA-256 $actual differs from HASH_RECORDED $recorded"
rms=$(sox "$work/EV-001.wav" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
echo "RMS amplitude of the captured speech: $rms"
awk -v r="$rms" 'BEGIN { exit !(r > 0.005) }' || fail "the captured audio is silent (RMS $rms)"
sox "$work/EV-001.wav" -n stat 2>&1 | grep -E "Length|Samples read" || true
step "import an existing recording (FLAC) byte for byte; refuse a text file"
sox "$work/speech.wav" "$work/gesell.flac"
"$relato" import --session "$session_id" "$work/gesell.flac" >/dev/null
recording=$("$relato" session show "$session_id" --json | grep -o '"id": "rec-[a-z2-7]*"' | tail -1 | cut -d'"' -f4)
"$relato" audio export --session "$session_id" --recording "$recording" --out "$work/gesell-out.flac" >/dev/null
cmp "$work/gesell.flac" "$work/gesell-out.flac" || fail "the imported file did not come back byte for byte"
echo "no es audio" >"$work/notes.txt"
if "$relato" import --session "$session_id" "$work/notes.txt" 2>/dev/null; then fail "a text file was imported"; fi

"$relato" log verify >/dev/null || fail "custody chains do not verify"
echo "capture.sh: all checks passed"
