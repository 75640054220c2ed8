import { beforeEach, describe, expect, it, vi } from "vitest";

// The app's answers, held until the test lets each one through.
const calls: { unsaved: boolean; answer: () => void }[] = [];
vi.mock("../bindings", () => ({
  commands: {
    reviewMarkUnsaved: (unsaved: boolean) => new Promise<null>((r) => calls.push({ unsaved, answer: () => r(null) })),
  },
}));
const dataset: Record<string, string> = {};
vi.stubGlobal("document", { documentElement: { dataset } });
const { markUnsaved } = await import("./unsaved");
const settle = () => new Promise((r) => setTimeout(r, 0));
const answer = (i: number) => calls[i]?.answer();

describe("telling the app about unsaved typing", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("sends only changes, and says the app knows once it has answered", async () => {
    markUnsaved(true);
    markUnsaved(true);
    expect(calls.map((c) => c.unsaved)).toEqual([true]);
    expect(dataset.closeGuard).toBeUndefined();
    answer(0);
    await settle();
    expect(dataset.closeGuard).toBe("unsaved");
    markUnsaved(false);
    expect(dataset.closeGuard).toBeUndefined();
    answer(1);
    await settle();
    expect(dataset.closeGuard).toBe("clear");
  });

  it("does not let an older answer arriving late speak for the newer state", async () => {
    markUnsaved(true);
    markUnsaved(false);
    answer(1);
    await settle();
    expect(dataset.closeGuard).toBe("clear");
    answer(0);
    await settle();
    expect(dataset.closeGuard).toBe("clear");
  });
});
