# Sends WM_DELETE_WINDOW to the shown top-level X window of process PID, as
# a window manager would on a click of its close button. Chosen by process
# (_NET_WM_PID), not by title: every Relato window has the same title.
import sys
from Xlib import X, display, protocol

d = display.Display()
pid = int(sys.argv[1])
PID = d.intern_atom("_NET_WM_PID")
DELETE = d.intern_atom("WM_DELETE_WINDOW")
seen = []


def find(w):
    try:
        owner = w.get_full_property(PID, X.AnyPropertyType)
        if owner and owner.value[0] == pid:
            shown = w.get_attributes().map_state == X.IsViewable
            seen.append(f"{w.id:#x} {w.get_wm_name()!r} shown={shown}")
            if shown and DELETE in (w.get_wm_protocols() or []):
                return w
    except Exception:
        pass
    for c in w.query_tree().children:
        r = find(c)
        if r:
            return r
    return None


w = find(d.screen().root)
if not w:
    sys.exit(f"no shown window of process {pid} takes WM_DELETE_WINDOW; its windows: {seen}")
ev = protocol.event.ClientMessage(
    window=w, client_type=d.intern_atom("WM_PROTOCOLS"), data=(32, [DELETE, X.CurrentTime, 0, 0, 0])
)
w.send_event(ev)
d.flush()
print(f"sent to {w.id:#x} {w.get_wm_name()!r}")
