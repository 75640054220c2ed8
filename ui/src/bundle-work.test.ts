import { describe, expect, it, vi } from "vitest";

const refused: (() => void)[] = [];
vi.mock("./api", () => ({ onCloseRefused: async (h: () => void) => void refused.push(h) }));
const { bundleWork } = await import("./bundle-work");

describe("long bundle work", () => {
  it("makes a lock wait for the end, tells the screen, and lets it through after", async () => {
    const work = bundleWork();
    const shown: string[] = [];
    let finish!: (v: string) => void;
    const done = work.run(() => new Promise<string>((r) => (finish = r)), {
      waiting: () => shown.push("waiting"),
      closeRefused: () => shown.push("close refused"),
    });
    expect(work.isRunning()).toBe(true);
    const locked = vi.fn();
    work.whenDone(locked);
    expect(work.hasWaiter()).toBe(true);
    for (const h of refused) h();
    expect(shown).toEqual(["waiting", "close refused"]);
    finish("bundle");
    expect(await done).toBe("bundle");
    expect(work.isRunning()).toBe(false);
    expect(locked).not.toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 0));
    expect(locked).toHaveBeenCalledOnce();
  });

  it("runs a waiter at once when nothing runs, and after a failure too", async () => {
    const work = bundleWork();
    const now = vi.fn();
    work.whenDone(now);
    expect(now).toHaveBeenCalledOnce();
    const later = vi.fn();
    const failing = work.run(() => Promise.reject(new Error("disk full")), { waiting: () => {}, closeRefused: () => {} });
    work.whenDone(later);
    await expect(failing).rejects.toThrow("disk full");
    await new Promise((r) => setTimeout(r, 0));
    expect(later).toHaveBeenCalledOnce();
  });
});
