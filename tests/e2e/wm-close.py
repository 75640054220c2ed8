# Sends WM_DELETE_WINDOW to the top-level X window titled NAME, as a window manager would on a click of its close button.
import sys
from Xlib import X, display, protocol
d = display.Display()
name = sys.argv[1]
def find(w):
    try:
        if w.get_wm_name() == name and d.intern_atom("WM_DELETE_WINDOW") in (w.get_wm_protocols() or []):
            return w
    except Exception:
        pass
    for c in w.query_tree().children:
        r = find(c)
        if r: return r
    return None
w = find(d.screen().root)
if not w:
    sys.exit("no window " + name)
ev = protocol.event.ClientMessage(window=w, client_type=d.intern_atom("WM_PROTOCOLS"), data=(32, [d.intern_atom("WM_DELETE_WINDOW"), X.CurrentTime, 0, 0, 0]))
w.send_event(ev)
d.flush()
print("sent")
