import { freePort, waitFor } from "../harness/ports.js";

describe("test harness helpers", () => {
  it("finds distinct free ports", async () => {
    const a = await freePort();
    expect(a).toBeGreaterThan(0);
  });
  it("waitFor reports what it waited for on timeout", async () => {
    await expect(waitFor("never", async () => false, 50, 10)).rejects.toThrow("waiting for never");
  });
});
