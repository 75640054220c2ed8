import { describe, expect, it } from "vitest";
import { formatClock, formatPrecise, parseTime, timeStamp } from "./time";

describe("formatClock", () => {
  it("always shows hours, minutes and seconds", () => {
    expect(formatClock(0)).toBe("00:00:00");
    expect(formatClock(83_999)).toBe("00:01:23");
    expect(formatClock(2 * 3_600_000 + 5 * 60_000 + 7_000)).toBe("02:05:07");
  });
  it("never goes below zero", () => {
    expect(formatClock(-500)).toBe("00:00:00");
  });
});

describe("formatPrecise", () => {
  it("keeps milliseconds", () => {
    expect(formatPrecise(3_723_045)).toBe("01:02:03.045");
    expect(formatPrecise(999)).toBe("00:00:00.999");
  });
});

describe("parseTime", () => {
  it("reads hh:mm:ss and hh:mm:ss.mmm", () => {
    expect(parseTime("01:02:03")).toBe(3_723_000);
    expect(parseTime("1:02:03.450")).toBe(3_723_450);
  });
  it("reads mm:ss and plain seconds", () => {
    expect(parseTime("02:03")).toBe(123_000);
    expect(parseTime("45")).toBe(45_000);
    expect(parseTime(" 2:03 ")).toBe(123_000);
  });
  it("reads short fractions as tenths and hundredths, and a comma", () => {
    expect(parseTime("0:01.5")).toBe(1_500);
    expect(parseTime("0:01,25")).toBe(1_250);
  });
  it("lets the leading unit run over but not the ones after it", () => {
    expect(parseTime("75:00")).toBe(4_500_000);
    expect(parseTime("1:75")).toBeNull();
    expect(parseTime("1:60:00")).toBeNull();
  });
  it("refuses what is not a time", () => {
    for (const s of ["", "abc", "1:2:3:4", "1.2.3", "-1", "1:02.1234", ":30"]) expect(parseTime(s)).toBeNull();
  });
  it("round-trips the precise form", () => {
    for (const ms of [0, 1, 59_999, 3_600_000, 7_199_999]) expect(parseTime(formatPrecise(ms))).toBe(ms);
  });
});

describe("timeStamp", () => {
  it("is the clock in brackets", () => {
    expect(timeStamp(61_000)).toBe("[00:01:01]");
  });
});
