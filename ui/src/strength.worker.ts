// Runs the estimator (strength-estimator.ts) off the window. It must: the
// window freezes Object.prototype (tauri.conf.json `freezePrototype`), and
// zxcvbn builds its rank tables by assigning dictionary words such as
// "constructor" to plain objects, which a frozen prototype refuses. A worker
// has its own, unfrozen realm, and a long phrase no longer stalls typing.

import { estimate } from "./strength-estimator";

interface Request {
  id: number;
  text: string;
  inputs: string[];
}

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: { id: number; score: number }): void;
};

scope.onmessage = (e) => {
  const { id, text, inputs } = e.data;
  scope.postMessage({ id, score: estimate(text, inputs).score });
};
